/**
 * The rule set's files: the rule file, the service catalog and the working calendar (YAML), the
 * duration notation, rule tests and the diff of two rule sets. Parsing only; what the rules decide
 * is in {@code io.rightsizer.rules}.
 */
package io.rightsizer.rules.format;
