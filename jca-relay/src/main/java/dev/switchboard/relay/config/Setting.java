package dev.switchboard.relay.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One operator setting of the relay: the system property an operator sets, its default (as the operator would write
 * it, so the default goes through the same parsing and checks as any value), how a value is read and checked, and
 * what the setting does. {@link RelaySettings} holds every one; the relay's configuration is read through them and
 * README's Configuration table is checked against them.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    private final String property;
    private final String defaultText;
    private final Function<String, T> parser;
    private final String summary;
    private final String shownDefault;

    private Setting(String property, String defaultText, Function<String, T> parser, String summary,
                    String shownDefault) {
        this.property = Objects.requireNonNull(property, "property");
        this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.summary = Objects.requireNonNull(summary, "summary");
        this.shownDefault = shownDefault;
    }

    /**
     * @param property    the system property, e.g. {@code switchboard.turn.max-bps}
     * @param defaultText the value when the property is not set, as an operator would write it
     * @param parser      reads and checks a value; throws {@link IllegalArgumentException} saying what a valid value
     *                    is (the property and the value are added to the message)
     * @param summary     one line: what the setting does
     */
    public static <T> Setting<T> of(String property, String defaultText, Function<String, T> parser, String summary) {
        return new Setting<>(property, defaultText, parser, summary, null);
    }

    /**
     * The same setting with the default described for README instead of quoted, for defaults that mean something
     * else than they read (an empty list meaning "the bind addresses", a count that is the number of processors).
     * Markdown, as it appears in README's Default column.
     */
    public Setting<T> shownAs(String readmeDefault) {
        return new Setting<>(property, defaultText, parser, summary, readmeDefault);
    }

    public String property() {
        return property;
    }

    public String defaultText() {
        return defaultText;
    }

    public String summary() {
        return summary;
    }

    /** README's Default cell: the default in backticks, {@code *(none)*} when empty, or what {@link #shownAs} says. */
    public String readmeDefault() {
        if (shownDefault != null) {
            return shownDefault;
        }
        return defaultText.isEmpty() ? "*(none)*" : "`" + defaultText + "`";
    }

    public T defaultValue() {
        return parse(defaultText);
    }

    /**
     * Reads and checks a value of this setting.
     *
     * @throws IllegalArgumentException naming the property and the value, and saying what a valid one is
     */
    public T parse(String text) {
        try {
            return parser.apply(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + "='" + text + "' is refused: " + e.getMessage(), e);
        }
    }

    /**
     * The setting's value from a source of property values ({@code System::getProperty}, a map's {@code get}), its
     * default when the source has none.
     */
    public T read(Function<String, String> source) {
        String text = source.apply(property);
        return parse(text == null ? defaultText : text);
    }

    @Override
    public String toString() {
        return property + " (default '" + defaultText + "')";
    }
}
