package dev.sentemb.cli;

/** Entry point of bin/sentemb. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("sentemb: commands are being built");
    }
}
