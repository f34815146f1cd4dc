package dev.sentemb.eval.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentemb.eval.DataFormatException;
import dev.sentemb.eval.run.ReferenceData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferDataTest {
    @Test
    void countsMatchSentEval() {
        Path d = ReferenceData.dir();
        Assumptions.assumeTrue(Files.isDirectory(d.resolve("MR")), "SentEval data at " + d);
        var mr = (TransferTask.CrossValidated) TransferData.load(d, "MR");
        assertEquals(10662, mr.all().size());
        assertEquals(5331, Arrays.stream(mr.all().y()).sum());
        var cr = (TransferTask.CrossValidated) TransferData.load(d, "CR");
        assertEquals(3775, cr.all().size());
        assertTrue(cr.all().x().contains(""), "empty lines stay as empty samples, as SentEval keeps them");
        assertEquals(10000, ((TransferTask.CrossValidated) TransferData.load(d, "SUBJ")).all().size());
        assertEquals(10606, ((TransferTask.CrossValidated) TransferData.load(d, "MPQA")).all().size());
        var sst = (TransferTask.TrainDevTest) TransferData.load(d, "SST2");
        assertEquals(67349, sst.train().size());
        assertEquals(872, sst.dev().size());
        assertEquals(1821, sst.test().size());
        var trec = (TransferTask.TrainTest) TransferData.load(d, "TREC");
        assertEquals(5452, trec.train().size());
        assertEquals(500, trec.test().size());
        var mrpc = (TransferTask.PairTrainTest) TransferData.load(d, "MRPC");
        assertEquals(4076, mrpc.train().size());
        assertEquals(1725, mrpc.test().size());
        assertTrue(mrpc.train().a().stream().noneMatch(s -> s.contains("\uFEFF")));
    }

    @Test
    void trecReadsLatin1AndDropsTheSubclass(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("TREC"));
        Files.write(dir.resolve("TREC/train_5500.label"), "NUM:date When did Caf\u00e9  open ?\nHUM:ind Who ?\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("TREC/TREC_10.label"), "LOC:city Where ?\r\n");
        var t = (TransferTask.TrainTest) TransferData.load(dir, "TREC");
        assertEquals("When did Caf\u00e9 open ?", t.train().x().get(0));
        assertEquals(5, t.train().y()[0]);
        assertEquals(3, t.train().y()[1]);
        assertEquals(4, t.test().y()[0]);
    }

    @Test
    void malformedLinesNameFileAndLine(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("SST/binary"));
        Files.writeString(dir.resolve("SST/binary/sentiment-train"), "good film\t1\nbad film\tx\n");
        Files.writeString(dir.resolve("SST/binary/sentiment-dev"), "ok\t1\n");
        Files.writeString(dir.resolve("SST/binary/sentiment-test"), "ok\t0\n");
        var e = assertThrows(DataFormatException.class, () -> TransferData.load(dir, "SST2"));
        assertTrue(e.getMessage().contains("sentiment-train:2"), e.getMessage());
        var missing = assertThrows(DataFormatException.class, () -> TransferData.load(dir, "MRPC"));
        assertTrue(missing.getMessage().contains("msr_paraphrase_train.txt"), missing.getMessage());
    }
}
