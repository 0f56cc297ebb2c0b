package org.spin.cli;

import java.util.concurrent.Callable;
import org.spin.runtime.Doctor;
import org.spin.runtime.EngineSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", description = "The engine, natives, devices, threads and matrix-product speed, with what to fix;"
        + " paste it into bug reports.")
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads (default: what this process may use).")
    int threads;

    @Option(names = "--size", paramLabel = "N", description = "Side of the timed matrix products (default: 1024).")
    int size = 1024;

    @Override
    public Integer call() {
        EngineSetup.configure(threads);
        int fixes = 0;
        for (Doctor.Finding f : Doctor.examine(size, 1.0)) {
            System.out.printf("%-22s %s%n", f.name(), f.value());
            if (f.fix().isPresent()) {
                System.out.printf("%-22s -> %s%n", "", f.fix().get());
                fixes++;
            }
        }
        System.out.println(fixes == 0 ? "nothing to fix" : fixes + " thing(s) to look at (->)");
        return 0;
    }
}
