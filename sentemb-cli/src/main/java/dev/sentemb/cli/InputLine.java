package dev.sentemb.cli;

/** One line of input: its 1-based number and the sentence, or why the line could not be read. */
record InputLine(long number, String text, String error) {
    boolean ok() {
        return error == null;
    }
}
