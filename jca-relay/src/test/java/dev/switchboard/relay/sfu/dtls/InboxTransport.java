package dev.switchboard.relay.sfu.dtls;

import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test client's side of a datagram link: it reads what the server sent from its inbox; subclasses send. */
abstract class InboxTransport implements DatagramTransport {

    final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    volatile boolean clientClosed;

    @Override
    public int getReceiveLimit() {
        return 2048;
    }

    @Override
    public int getSendLimit() {
        return 1200;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (clientClosed) {
            throw new IOException("client transport closed");
        }
        try {
            byte[] d = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (d == null) {
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    @Override
    public void close() {
        clientClosed = true;
    }
}
