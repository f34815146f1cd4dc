package dev.sentemb.server;

/**
 * The request's client closed its connection while the request waited: its inputs were dropped from the queue and
 * nobody is left to answer. Counted under status 499 ("client closed request", as nginx names it) in the metrics.
 */
final class ClientGoneException extends RuntimeException {
    static final int STATUS = 499;

    ClientGoneException(int inputs) {
        super("the client closed its connection; " + inputs + " inputs dropped");
    }
}
