package dev.switchboard.web.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MediaTypeFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=UTF-8", "application/json;charset=\"utf-8\"",
            "text/plain", "application/json ; x=1", "application/merge-patch+json"})
    void wellFormedContentTypes(String value) {
        assertTrue(MediaTypeFilter.acceptableContentType(value), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json;;;==", "application/json;", "application/json;charset",
            "application/json; charset=iso-8859-1", "application/json, text/plain", "*/*", "application/*", "json",
            "application/json; a=\"unterminated", ""})
    void malformedOrNotUtf8(String value) {
        // application/json;;;== was taken as JSON
        assertFalse(MediaTypeFilter.acceptableContentType(value), value);
    }

    @Test
    void acceptIsAListOfMediaRanges() {
        assertTrue(MediaTypeFilter.validAccept("*/*"));
        assertTrue(MediaTypeFilter.validAccept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        assertTrue(MediaTypeFilter.validAccept("application/json, "));
        assertFalse(MediaTypeFilter.validAccept(";;;=="));
        assertFalse(MediaTypeFilter.validAccept("json"));
    }
}
