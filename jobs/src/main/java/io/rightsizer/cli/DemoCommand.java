package io.rightsizer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs the demo.")
public class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
