package org.spin.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import net.razorvine.pickle.Unpickler;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spin.Fixtures;
import org.spin.SpinException;

/** Loading a checkpoint must never run code and must reject anything that is not one, naming the file. */
class TorchCheckpointSafetyTest {

    @TempDir
    Path dir;

    @Test
    void foreignGlobalIsRefused() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().global("os", "system").mark().str("touch pwned").tuple()
                .reduce().stop();
        Path file = zip(p).writeTo(dir.resolve("evil.pth"));

        refused(file).hasMessage(file + ": refuses pickle global 'os.system'; a checkpoint may only hold tensors, "
                + "dicts, lists and numbers");
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource({"builtins,eval", "datetime,datetime", "builtins,bytearray", "collections,defaultdict",
            "torch,load", "torch._utils,_rebuild_device_tensor_from_numpy", "__builtin__,set"})
    void anyGlobalOutsideTheAllowlistIsRefusedViaStackGlobal(String module, String name) throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().stackGlobal(module, name).emptyTuple().reduce().stop();
        Path file = zip(p).writeTo(dir.resolve("stack.pth"));

        refused(file).hasMessageContaining("refuses pickle global '" + module + "." + name + "'");
    }

    @Test
    void instOpcodeCannotBypassTheAllowlist() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().mark().str("id").op('i')
                .raw("os\nsystem\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).stop();
        refused(zip(p).writeTo(dir.resolve("inst.pth"))).hasMessageContaining("'os.system'");
    }

    @Test
    void constructorsRegisteredWithRazorvineAreNeverConsulted() throws IOException {
        AtomicBoolean ran = new AtomicBoolean();
        Unpickler.registerConstructor("spin_test_evil", "run", args -> {
            ran.set(true);
            return null;
        });
        PickleBuilder p = PickleBuilder.protocol2().global("spin_test_evil", "run").emptyTuple().reduce().stop();

        refused(zip(p).writeTo(dir.resolve("registered.pth"))).hasMessageContaining("'spin_test_evil.run'");
        assertThat(ran).isFalse();
    }

    @Test
    void settingObjectStateOnNonDictIsRefused() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyList().emptyDict().build().stop();
        refused(zip(p).writeTo(dir.resolve("build.pth"))).hasMessageContaining("sets object state on a list");
    }

    @Test
    void foreignPersistentIdIsRefused() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().str("/etc/passwd").binPersId().stop();
        refused(zip(p).writeTo(dir.resolve("pid.pth"))).hasMessageContaining("('storage', type, key, location, numel)");
    }

    @Test
    void lengthPrefixLargerThanThePickleIsCorruptNotAnAllocation() throws IOException {
        byte[] length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFF0).array();
        PickleBuilder p = PickleBuilder.protocol2().op('B').raw(length).stop();
        refused(zip(p).writeTo(dir.resolve("bomb.pth"))).hasMessageContaining("corrupt pickle");
    }

    @Test
    void nonZipFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.pth"), "definitely not a checkpoint");
        refused(file).hasMessageContaining("not a PyTorch zip checkpoint (torch.save format since 1.6)");
    }

    @Test
    void legacyPickleCheckpointIsRecognisedAndRefused() throws IOException {
        Path file = Files.write(dir.resolve("legacy.pth"), PickleBuilder.protocol2().emptyDict().stop().bytes());
        refused(file).hasMessageContaining("not a PyTorch zip checkpoint").hasMessageContaining("legacy");
    }

    @Test
    void truncatedCheckpointIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.reference("convmixer_plain.pth"));
        Path file = Files.write(dir.resolve("truncated.pth"), Arrays.copyOf(whole, whole.length / 2));
        refused(file).hasMessageContaining("truncated");
    }

    @Test
    void missingStorageEntryIsNamed() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().str("w")
                .tensor("FloatStorage", "7", 6, 0, new long[] {6}, new long[] {1}).setItem().stop();
        refused(zip(p).writeTo(dir.resolve("missing.pth"))).hasMessageContaining("'ckpt/data/7'");
    }

    @Test
    void storageShorterThanDeclaredIsRefused() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().str("w")
                .tensor("FloatStorage", "0", 8, 0, new long[] {8}, new long[] {1}).setItem().stop();
        refused(zip(p).writeTo(dir.resolve("short.pth"))).hasMessageContaining("declares 8");
    }

    @Test
    void viewReachingPastItsStorageIsRefused() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().str("w")
                .tensor("FloatStorage", "0", 6, 3, new long[] {2, 3}, new long[] {3, 1}).setItem().stop();
        refused(zip(p).writeTo(dir.resolve("oob.pth"))).hasMessageContaining("reaches element 8");
    }

    @Test
    void bigEndianCheckpointIsRefused() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().stop();
        refused(zip(p).byteOrder("big").writeTo(dir.resolve("big.pth"))).hasMessageContaining("'big'");
    }

    @Test
    void zipWithoutDataPklIsRefused() throws IOException {
        Path file = dir.resolve("other.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write('x');
            zip.closeEntry();
        }
        refused(file).hasMessageContaining("data.pkl");
    }

    @Test
    void missingFileIsNamed() {
        refused(dir.resolve("nope.pth")).hasMessageContaining("not found");
    }

    // Found by the fuzzer (ReadersFuzzTest): a corrupted global name reached the message raw.
    @Test
    void aGlobalNameWithControlCharactersIsEscaped() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().global("os\u0000\u001b[2J", "system").emptyTuple().reduce().stop();
        refused(zip(p).writeTo(dir.resolve("escape.pth")))
                .hasMessageContaining("refuses pickle global 'os\\u0000\\u001b[2J.system'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000", "\u001b"));
    }

    // Found by the fuzzer: razorvine's NumberFormatException quotes the corrupt bytes it met.
    @Test
    void aCorruptNumberIsReportedWithItsBytesEscaped() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().op('I').raw("1\u0000\u0007x\n".getBytes(StandardCharsets.ISO_8859_1)).stop();
        refused(zip(p).writeTo(dir.resolve("number.pth"))).hasMessageContaining("corrupt pickle")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0000", "\u0007"));
    }

    // A 1-element storage viewed as 2^28 elements (stride 0) made a 1 GiB tensor out of a file of
    // a few hundred bytes.
    @Test
    void aViewRepeatingOneElementCannotAllocateBeyondTheFile() throws IOException {
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().str("w")
                .tensor("FloatStorage", "0", 6, 0, new long[] {1L << 28}, new long[] {0}).setItem().stop();
        refused(zip(p).writeTo(dir.resolve("repeat.pth"))).hasMessageContaining("needs 1073741824 bytes");
    }

    // Ten overlapping views of one storage copied ten times the file's size.
    @Test
    void viewsOfOneStorageCannotCopyMoreThanTheFileHolds() throws IOException {
        int n = 100_000;
        PickleBuilder p = PickleBuilder.protocol2().emptyDict();
        for (int i = 0; i < 10; i++) {
            p.str("w" + i).tensor("FloatStorage", "0", n, 1, new long[] {n - 1}, new long[] {1}).setItem();
        }
        Path file = new TorchZipBuilder("ckpt").pickle(p.stop().bytes())
                .storage("0", HostTensor.ofFloats(new long[] {n}, new float[n]).data()).writeTo(dir.resolve("views.pth"));
        refused(file).hasMessageContaining("more than the").hasMessageContaining("has left for its tensors");
    }

    // Lists nested 500000 deep overflowed the stack of the copy readTopLevel makes.
    @Test
    void deeplyNestedListsAreRefusedRatherThanOverflowingTheStack() throws IOException {
        int depth = 500_000;
        PickleBuilder p = PickleBuilder.protocol2().emptyDict().str("x");
        for (int i = 0; i < depth; i++) {
            p.emptyList();
        }
        for (int i = 1; i < depth; i++) {
            p.append();
        }
        Path file = zip(p.setItem().stop()).writeTo(dir.resolve("deep.pth"));
        assertThatThrownBy(() -> TorchCheckpoint.readTopLevel(file)).isInstanceOf(SpinException.class)
                .hasMessage(file + ": checkpoint nests containers more than 1000 levels deep; expected a dict of tensors"
                        + " and plain values");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(Path file) {
        return assertThatThrownBy(() -> TorchCheckpoint.readStateDict(file))
                .isInstanceOf(SpinException.class)
                .hasMessageStartingWith(file + ": ");
    }

    private static TorchZipBuilder zip(PickleBuilder p) {
        return new TorchZipBuilder("ckpt").pickle(p.bytes())
                .storage("0", HostTensor.ofFloats(new long[] {6}, new float[6]).data());
    }
}
