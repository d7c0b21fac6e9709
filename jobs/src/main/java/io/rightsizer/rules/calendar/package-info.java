/**
 * Calendar arithmetic in the rule set's zone (weeks, months) and the working calendar (working
 * days, public holidays, make-up working days).
 */
package io.rightsizer.rules.calendar;
