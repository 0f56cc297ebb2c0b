package org.spin.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * A reader under fuzz: the valid files its cases start from, the edits they get, the files a case
 * needs beside the mutated one, and the call.
 *
 * @param name       the reader, as the table names it
 * @param seeds      valid inputs; each case mutates one
 * @param mutations  the edits of one case
 * @param companions valid files written into the case folder before the mutated one (which may replace one)
 * @param reader     reads the case folder; what it returns is checked by {@code check}
 * @param check      null when a returned value is fine, else what is wrong with it
 * @param allocationFactor how many times the input's size the reader may allocate, beyond
 *     {@link FuzzRunner#ALLOCATION_ALLOWANCE}; 0 for no limit (images, bounded by their pixel limit instead)
 */
record FuzzTarget(String name, List<Seed> seeds, Arbitrary<List<Mutation>> mutations, Map<String, byte[]> companions,
                  Reader reader, Check check, long allocationFactor) {

    /** Reads the case: {@code dir} holds every file of it, {@code file} is the mutated one. */
    @FunctionalInterface
    interface Reader {
        Object read(Path dir, Path file) throws Exception;
    }

    @FunctionalInterface
    interface Check {
        String problem(Object result, Path dir);
    }

    FuzzTarget(String name, List<Seed> seeds, Arbitrary<List<Mutation>> mutations, Reader reader) {
        this(name, seeds, mutations, Map.of(), reader, (result, dir) -> null, 64);
    }

    FuzzTarget withCompanions(Map<String, byte[]> files) {
        return new FuzzTarget(name, seeds, mutations, files, reader, check, allocationFactor);
    }

    FuzzTarget withCheck(Check resultCheck) {
        return new FuzzTarget(name, seeds, mutations, companions, reader, resultCheck, allocationFactor);
    }

    FuzzTarget withAllocationFactor(long factor) {
        return new FuzzTarget(name, seeds, mutations, companions, reader, check, factor);
    }

    /** The cases of this reader, for a jqwik {@code @Provide} method. */
    Arbitrary<FuzzInput> inputs() {
        boolean anyWrapped = seeds.stream().anyMatch(Seed::wrapped);
        return Combinators.combine(Arbitraries.of(seeds), anyWrapped ? Arbitraries.of(true, false) : Arbitraries.just(false),
                mutations).as(FuzzInput::new);
    }
}
