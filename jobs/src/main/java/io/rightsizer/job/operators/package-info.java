/**
 * The topology's operators: the routers, the rules operators and the lifecycle function, and the
 * plain classes they keep and count with (timers, buffers, the deadman, metrics, failures). Their
 * state classes stay in {@code io.rightsizer.job} and {@code io.rightsizer.rules}: savepoints
 * record their class names.
 */
package io.rightsizer.job.operators;
