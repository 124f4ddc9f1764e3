package dev.switchboard.web.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorPageServletTest {

    @Test
    void containerErrorsAreProblemsOfTheirStatus() {
        assertEquals("{\"detail\":\"no such resource\",\"status\":404,\"title\":\"Not Found\",\"type\":\"/problems/not-found\"}",
                ErrorPageServlet.json(404));
        assertEquals("{\"detail\":\"this method is not allowed here\",\"status\":405,\"title\":\"Method Not Allowed\","
                + "\"type\":\"/problems/method-not-allowed\"}", ErrorPageServlet.json(405));
        assertEquals("{\"detail\":\"the request could not be understood\",\"status\":400,\"title\":\"Bad Request\","
                + "\"type\":\"/problems/http-400\"}", ErrorPageServlet.json(400));
        // one type for a body too large, whoever refuses it (StrictJsonReader, the HTTP edge's BodyLimitHandler)
        assertEquals("{\"detail\":\"the request is too large\",\"status\":413,\"title\":\"Request Entity Too Large\","
                + "\"type\":\"/problems/body-too-large\"}", ErrorPageServlet.json(413));
    }

    @Test
    void anUnnamedStatusStillGetsAProblem() {
        assertEquals("{\"detail\":\"error 499\",\"status\":499,\"title\":\"Error\",\"type\":\"/problems/http-499\"}",
                ErrorPageServlet.json(499));
    }
}
