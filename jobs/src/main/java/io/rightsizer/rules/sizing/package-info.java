/** The service catalog, byte sizes, and the target sizes computed from them. */
package io.rightsizer.rules.sizing;
