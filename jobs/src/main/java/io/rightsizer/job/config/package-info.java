/** The job's options, the configuration read from them, its checks at start and its secrets. */
package io.rightsizer.job.config;
