internal import CRDKafka
import Logging
import NIOPosix
import Synchronization

/// The one owner of a librdkafka client (`rd_kafka_t`): creates it from properties, hands its
/// pointer to the producer or consumer that wraps it, and destroys it off the caller's thread.
///
/// librdkafka is thread-safe for the calls Ferry makes on a handle (produce, poll, store offsets),
/// so the pointer is shared by tasks; its lifetime is this object's, and destruction (which joins
/// librdkafka's threads and may block for seconds) runs on NIO's blocking thread pool.
final class RDKafkaClient: @unchecked Sendable {
    /// The handle. Valid until ``destroy()`` ran; every user holds this object.
    let handle: OpaquePointer
    private let destroyed = Atomic(false)
    /// Retained for as long as librdkafka may call back with it (log lines).
    private let logSink: Unmanaged<KafkaLogSink>

    /// Creates a client of `kind` (`RD_KAFKA_PRODUCER` or `RD_KAFKA_CONSUMER`).
    ///
    /// - Parameter configure: sets callbacks on the configuration before the client is created.
    init(
        kind: rd_kafka_type_t,
        properties: [(String, String)],
        logLabel: String,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(.invalidArgument, "librdkafka could not allocate a configuration")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties {
            if rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(.invalidArgument, "\(key)=\(value): \(Self.text(errorText))")
            }
        }
        let sink = Unmanaged.passRetained(KafkaLogSink(label: logLabel))
        // SAFETY: the sink stays retained until the client is destroyed; librdkafka passes the
        // opaque back to the log callback only while the client lives.
        rd_kafka_conf_set_opaque(conf, sink.toOpaque())
        rd_kafka_conf_set_log_cb(conf, kafkaLogCallback)
        configure(conf)
        // On success the client owns `conf`; on failure it is still ours.
        guard let client = rd_kafka_new(kind, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            sink.release()
            throw KafkaError(.invalidArgument, "cannot create the Kafka client: \(Self.text(errorText))")
        }
        handle = client
        logSink = sink
    }

    /// The logger librdkafka's lines go to, for Ferry's own messages about this client.
    var logSinkLogger: Logger { logSink.takeUnretainedValue().logger }

    /// Destroys the client now, on the calling thread (which must be allowed to block).
    func destroy() {
        guard !destroyed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        rd_kafka_destroy(handle)
        logSink.release()
    }

    /// Runs `body` with the handle on NIO's blocking thread pool and returns its result: for the
    /// librdkafka calls that wait (flush, synchronous commit, close).
    func blocking<Result: Sendable>(_ body: @escaping @Sendable (OpaquePointer) -> Result) async -> Result {
        let handle = UnsafeTransfer(handle)
        do {
            return try await NIOThreadPool.singleton.runIfActive { body(handle.value) }
        } catch {
            // The shared pool is never shut down; should it be, run here rather than not at all.
            return body(handle.value)
        }
    }

    deinit {
        guard !destroyed.load(ordering: .acquiring) else { return }
        // Whoever drops the last reference must not block: destroy on the thread pool.
        let handles = UnsafeTransfer((handle, logSink))
        NIOThreadPool.singleton.submit { _ in
            rd_kafka_destroy(handles.value.0)
            handles.value.1.release()
        }
    }

    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Carries a value that is not `Sendable` (a C pointer) to another thread whose use of it the
/// sender has made safe (it gave up its own use).
struct UnsafeTransfer<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
