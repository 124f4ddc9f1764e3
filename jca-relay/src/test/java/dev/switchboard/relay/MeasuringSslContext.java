package dev.switchboard.relay;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * An {@link SSLContext} whose engines add up the bytes the JDK's engine allocates inside each call, on the calling
 * thread. Subtracted from a thread's total, it leaves what the code around the engine allocated: the JDK's own
 * garbage per record (cipher parameters, results) says nothing about ours.
 */
public final class MeasuringSslContext extends SSLContext {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final LongAdder engineBytes;

    private MeasuringSslContext(SSLContext inner, LongAdder engineBytes) {
        super(new Spi(inner, engineBytes), inner.getProvider(), inner.getProtocol());
        this.engineBytes = engineBytes;
    }

    public static MeasuringSslContext around(SSLContext inner) {
        return new MeasuringSslContext(inner, new LongAdder());
    }

    /** Bytes allocated inside engine calls so far, on whichever threads made them. */
    public long engineBytes() {
        return engineBytes.sum();
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext inner;
        private final LongAdder bytes;

        Spi(SSLContext inner, LongAdder bytes) {
            this.inner = inner;
            this.bytes = bytes;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw new UnsupportedOperationException("initialised already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return inner.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return inner.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new Engine(inner.createSSLEngine(), bytes);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new Engine(inner.createSSLEngine(host, port), bytes);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return inner.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return inner.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return inner.getSupportedSSLParameters();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return inner.getDefaultSSLParameters();
        }
    }

    /** Delegates everything; measures the calls the packet path makes. */
    private static final class Engine extends SSLEngine {
        private final SSLEngine inner;
        private final LongAdder bytes;

        Engine(SSLEngine inner, LongAdder bytes) {
            this.inner = inner;
            this.bytes = bytes;
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            long start = THREADS.getCurrentThreadAllocatedBytes();
            try {
                return inner.wrap(src, dst);
            } finally {
                bytes.add(THREADS.getCurrentThreadAllocatedBytes() - start);
            }
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            long start = THREADS.getCurrentThreadAllocatedBytes();
            try {
                return inner.wrap(srcs, offset, length, dst);
            } finally {
                bytes.add(THREADS.getCurrentThreadAllocatedBytes() - start);
            }
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            long start = THREADS.getCurrentThreadAllocatedBytes();
            try {
                return inner.unwrap(src, dst);
            } finally {
                bytes.add(THREADS.getCurrentThreadAllocatedBytes() - start);
            }
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            long start = THREADS.getCurrentThreadAllocatedBytes();
            try {
                return inner.unwrap(src, dsts, offset, length);
            } finally {
                bytes.add(THREADS.getCurrentThreadAllocatedBytes() - start);
            }
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            long start = THREADS.getCurrentThreadAllocatedBytes();
            try {
                return inner.getHandshakeStatus();
            } finally {
                bytes.add(THREADS.getCurrentThreadAllocatedBytes() - start);
            }
        }

        @Override
        public Runnable getDelegatedTask() {
            return inner.getDelegatedTask();
        }

        @Override
        public void closeInbound() throws SSLException {
            inner.closeInbound();
        }

        @Override
        public boolean isInboundDone() {
            return inner.isInboundDone();
        }

        @Override
        public void closeOutbound() {
            inner.closeOutbound();
        }

        @Override
        public boolean isOutboundDone() {
            return inner.isOutboundDone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return inner.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return inner.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            inner.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return inner.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return inner.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            inner.setEnabledProtocols(protocols);
        }

        @Override
        public SSLSession getSession() {
            return inner.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return inner.getHandshakeSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            inner.beginHandshake();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            inner.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return inner.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            inner.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return inner.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            inner.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return inner.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            inner.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return inner.getEnableSessionCreation();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return inner.getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            inner.setSSLParameters(params);
        }

        @Override
        public String getApplicationProtocol() {
            return inner.getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return inner.getHandshakeApplicationProtocol();
        }
    }
}
