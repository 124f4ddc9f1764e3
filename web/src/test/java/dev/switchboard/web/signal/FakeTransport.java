package dev.switchboard.web.signal;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** A socket that records what the server sent and how it closed it; sends complete at once unless paused. */
public final class FakeTransport implements Transport {

    public final List<String> sent = new ArrayList<>();
    public int closeCode;
    public String closeReason;
    private boolean paused;
    private final List<Consumer<Throwable>> inFlight = new ArrayList<>();

    @Override
    public synchronized void send(String text, Consumer<Throwable> done) {
        sent.add(text);
        if (paused) {
            inFlight.add(done);
        } else {
            done.accept(null);
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        if (closeCode == 0) {
            closeCode = code;
            closeReason = reason;
        }
    }

    /** Later sends stay in flight until {@link #resume()}. */
    public synchronized void pause() {
        paused = true;
    }

    public void resume() {
        List<Consumer<Throwable>> done;
        synchronized (this) {
            paused = false;
            done = new ArrayList<>(inFlight);
            inFlight.clear();
        }
        done.forEach(d -> d.accept(null));
    }

    public synchronized List<JsonObject> messages() {
        return sent.stream().map(FakeTransport::parse).collect(Collectors.toList());
    }

    public synchronized List<JsonObject> ofType(String type) {
        return messages().stream().filter(m -> m.getString("type").equals(type)).collect(Collectors.toList());
    }

    public synchronized JsonObject last() {
        return parse(sent.get(sent.size() - 1));
    }

    public synchronized void clear() {
        sent.clear();
    }

    static JsonObject parse(String s) {
        try (JsonReader r = Json.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }

}
