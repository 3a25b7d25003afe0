package dev.failover4j.samples.aiservice;

import java.util.List;

/** The structured answer of {@link Concierge#plan(String)}: AI Services parses the model's JSON into it. */
public record TripPlan(String city, int days, List<String> highlights) {}
