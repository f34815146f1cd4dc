package dev.sentemb.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sentemb.SentembException;
import dev.sentemb.testing.TestModels;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
    @Test
    void cleanUpFollowsTheReference() {
        assertEquals("A man is smoking.", SentenceCleaner.clean("A man is smoking"));
        assertEquals("A man is smoking.", SentenceCleaner.clean("A man is smoking."));
        assertEquals("Is he here.", SentenceCleaner.clean("Is he here?"));
        assertEquals("He said 'hi'", SentenceCleaner.clean("He said \"hi\""));
        assertEquals("it's 'quoted'", SentenceCleaner.clean("it's \"quoted\""));
        assertEquals("what?!.", SentenceCleaner.clean("what?!"));
        assertEquals("", SentenceCleaner.clean(""));
        // A final '"' keeps the sentence unpunctuated, becomes "'"; a final "?" after quotes is not touched.
        assertEquals("a 'b?'", SentenceCleaner.clean("a \"b?\""));
    }

    @Test
    void plainTemplateRendersAsThePaper() {
        PromptTemplate t = PromptTemplate.eol();
        assertEquals("This sentence : \"A man is smoking.\" means in one word:\"", t.render("A man is smoking"));
        assertEquals("This sentence : \"\" means in one word:\"", t.render(""));
        assertEquals("This sentence : \"", t.head());
        assertEquals("\" means in one word:\"", t.tail());
    }

    @Test
    void demonstrationEqualsLine16OfTheReferenceCandidates() throws Exception {
        List<String> lines = Files.readAllLines(TestModels.shared().resolve("data/icl_examples.txt"));
        PromptTemplate fromFile = PromptTemplate.of(lines.get(15));
        PromptTemplate built = Templates.resolve("icl:smoking");
        assertEquals(lines.get(15), built.source());
        assertEquals("This sentence : \"A man is smoking.\" means in one word:\"Smoking\".This sentence : \"Two dogs play.\" means in one word:\"",
                fromFile.render("Two dogs play"));
        assertEquals(fromFile.render("x?"), built.render("x?"));
    }

    @Test
    void everyReferenceCandidateParses() throws Exception {
        for (String line : Files.readAllLines(TestModels.shared().resolve("data/icl_examples.txt"))) {
            String p = PromptTemplate.of(line).render("A cat sleeps.");
            assertEquals(true, p.endsWith("\"A cat sleeps.\" means in one word:\""), p);
        }
    }

    @Test
    void markersAreDroppedAndEndsStripped() {
        PromptTemplate t = PromptTemplate.of("*cls*_This_sentence_:_\"*sent_0*\"_means_in_one_word:\"*sep+*_");
        assertEquals("This sentence : \"go.\" means in one word:\"", t.render("go"));
    }

    @Test
    void badTemplatesAreRejectedClearly() {
        assertThrows(SentembException.class, () -> PromptTemplate.of("no slot here"));
        assertThrows(SentembException.class, () -> PromptTemplate.of("*sent_0*_and_*sent_0*"));
        assertThrows(SentembException.class, () -> Templates.resolve("icl:nope"));
        assertThrows(SentembException.class, () -> Templates.resolve("hello"));
    }
}
