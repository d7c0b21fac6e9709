package io.rightsizer.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The exit codes a command returns, in the order its usage help lists them ({@link
 * ExitCode#describe}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface ExitCodes {
    Code[] value();

    /** One exit code of the command. */
    @interface Code {
        ExitCode value();

        /** When this command returns it; empty: the code's general {@link ExitCode#meaning}. */
        String when() default "";
    }
}
