/**
 * The approval lifecycle of a recommendation: the data center's decisions, checked and applied. The
 * entry it keeps per recommendation ({@code io.rightsizer.rules.LifecycleEntry}) stays in {@code
 * io.rightsizer.rules}: savepoints record its class name.
 */
package io.rightsizer.rules.lifecycle;
