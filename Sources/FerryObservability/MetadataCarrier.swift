/// Public: the carrier the injector and extractor work on is FerryRPC's `Metadata`.
public import FerryRPC
/// Public: the types conform to Instrumentation's `Injector` and `Extractor`.
public import Instrumentation

/// Writes a tracer's propagation headers (W3C `traceparent` and `tracestate` with an
/// OpenTelemetry tracer) into request metadata.
public struct MetadataInjector: Injector {
    /// Creates an injector.
    public init() {}

    /// Sets `key` (lower-cased, as HTTP/2 requires) to `value`, replacing an earlier value.
    public func inject(_ value: String, forKey key: String, into carrier: inout Metadata) {
        carrier.replaceOrAddString(value, forKey: key.lowercased())
    }
}

/// Reads a tracer's propagation headers from request metadata.
public struct MetadataExtractor: Extractor {
    /// Creates an extractor.
    public init() {}

    /// The first value of `key` (lower-cased), if the metadata has one.
    public func extract(key: String, from carrier: Metadata) -> String? {
        carrier.firstString(forKey: key.lowercased())
    }
}
