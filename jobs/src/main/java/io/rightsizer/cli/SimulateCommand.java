package io.rightsizer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Generates a fleet.")
public class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
