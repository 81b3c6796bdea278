internal import CRDKafka
import Synchronization

/// Publishes records to Kafka and reports, for each, where the broker stored it.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: ["127.0.0.1:9092"]))
/// let report = try await producer.send(ProducerRecord(topic: "orders", key: Array("o-1".utf8), value: bytes))
/// await producer.close()
/// ```
///
/// `send` returns once the broker acknowledged the record (with the default idempotent producer,
/// once all in-sync replicas have it), so an error is never silent. Records with the same key go to
/// the same partition in the order they were sent. librdkafka batches and sends from its own
/// threads; Ferry starts no thread of its own: delivery reports are served by a task woken by
/// librdkafka when reports arrive.
public final class KafkaProducer: Sendable {
    /// The configuration the producer was created with.
    public let configuration: KafkaProducerConfiguration
    private let client: RDKafkaClient
    /// The main queue, where delivery reports arrive; released in ``close()``.
    /// SAFETY: a reference librdkafka hands out for use from any thread; released once, in close() or deinit.
    private nonisolated(unsafe) let mainQueue: OpaquePointer
    private let signal = QueueSignal()
    private let closed = Atomic(false)
    /// Records queued and not yet reported, counted here: librdkafka's `rd_kafka_outq_len` also
    /// counts its pending events (a connection error, a log line), so it is not a record count.
    private let unreported = DeliveryCounter()
    private let pump: Task<Void, Never>

    /// Creates a producer; it connects to the brokers in the background.
    ///
    /// - Throws: ``KafkaError/Code/invalidArgument`` for a property librdkafka refuses.
    public init(configuration: KafkaProducerConfiguration) throws(KafkaError) {
        self.configuration = configuration
        let client = try RDKafkaClient(
            kind: RD_KAFKA_PRODUCER,
            properties: configuration.librdkafkaProperties,
            logLabel: "ferry.kafka.producer"
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, kafkaDeliveryCallback)
        }
        self.client = client
        mainQueue = rd_kafka_queue_get_main(client.handle)
        let signal = signal
        // SAFETY: the signal outlives the registration: close() and deinit disable the callback
        // before the signal can be released.
        rd_kafka_queue_cb_event_enable(mainQueue, kafkaQueueSignalCallback, Unmanaged.passUnretained(signal).toOpaque())
        // Serves delivery reports: each rd_kafka_poll(0) runs the callbacks of the reports that
        // arrived, without blocking; then the task sleeps until librdkafka signals more.
        pump = Task { [client] in
            while true {
                let seen = signal.generation
                while rd_kafka_poll(client.handle, 0) > 0 {}
                if signal.isClosed { return }
                await signal.wait(after: seen)
            }
        }
    }

    /// Publishes `record` and returns where the broker stored it.
    ///
    /// When the producer already holds ``KafkaProducerConfiguration/maxQueuedMessages`` or
    /// ``KafkaProducerConfiguration/maxQueuedBytes`` unacknowledged, waits for room up to
    /// ``KafkaProducerConfiguration/maxBlock``. Once queued, the record's fate is decided within
    /// ``KafkaProducerConfiguration/deliveryTimeout``; cancelling the calling task does not take it
    /// back, so the call still waits for its report.
    ///
    /// - Throws: ``KafkaError/Code/queueFull`` after waiting ``KafkaProducerConfiguration/maxBlock``;
    ///   ``KafkaError/Code/messageTooLarge``; ``KafkaError/Code/messageTimedOut`` or the broker's
    ///   error when delivery failed; ``KafkaError/Code/closed`` after ``close()``.
    public func send(_ record: ProducerRecord) async throws(KafkaError) -> DeliveryReport {
        try await queue(record).report().get()
    }

    /// Publishes `records` in order and returns each one's outcome, in the same order.
    ///
    /// All are queued before any report is awaited, so the broker receives them in batches; records
    /// of one partition are stored in the order given (the idempotent producer keeps it across
    /// retries). A record that cannot be queued fails alone; the others still go.
    public func sendAll(_ records: [ProducerRecord]) async -> [Result<DeliveryReport, KafkaError>] {
        var pending: [Result<PendingDelivery, KafkaError>] = []
        pending.reserveCapacity(records.count)
        for record in records {
            do {
                pending.append(.success(try await queue(record)))
            } catch {
                pending.append(.failure(error))
            }
        }
        var results: [Result<DeliveryReport, KafkaError>] = []
        results.reserveCapacity(records.count)
        for entry in pending {
            switch entry {
            case .success(let delivery): results.append(await delivery.report())
            case .failure(let error): results.append(.failure(error))
            }
        }
        return results
    }

    /// Queues `record`, waiting for room while the queue is full (at most ``KafkaProducerConfiguration/maxBlock``).
    private func queue(_ record: ProducerRecord) async throws(KafkaError) -> PendingDelivery {
        let giveUpAt = ContinuousClock.now.advanced(by: configuration.maxBlock)
        var pause = Duration.milliseconds(1)
        while true {
            switch submit(record) {
            case .success(let delivery):
                return delivery
            case .failure(let error) where error.code == .queueFull && ContinuousClock.now < giveUpAt:
                // Room appears as reports are served; look again soon, a little later each time.
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(50))
            case .failure(let error):
                throw error
            }
        }
    }

    /// Hands `record` to librdkafka without waiting: its pending report, or why it was not queued.
    private func submit(_ record: ProducerRecord) -> Result<PendingDelivery, KafkaError> {
        guard !closed.load(ordering: .acquiring) else {
            return .failure(KafkaError(.closed, "the producer is closed"))
        }
        let delivery = PendingDelivery(counter: unreported)
        let opaque = Unmanaged.passRetained(delivery)
        let headers = Self.makeHeaders(record.headers)
        let partition = record.partition ?? cferry_kafka_partition_unassigned()
        // SAFETY: librdkafka copies topic, key and value during the call (RD_KAFKA_MSG_F_COPY);
        // the retained delivery is released by the delivery callback, or below if not queued.
        let error = record.value.withUnsafeBytes { value in
            withOptionalBytes(record.key) { key in
                cferry_kafka_produce(
                    client.handle,
                    record.topic,
                    partition,
                    value.baseAddress,
                    value.count,
                    key?.baseAddress,
                    key?.count ?? 0,
                    headers,
                    opaque.toOpaque()
                )
            }
        }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            if let headers { rd_kafka_headers_destroy(headers) }
            opaque.release()
            delivery.abandon()
            return .failure(KafkaError(error, context: "cannot queue a record for \(record.topic)"))
        }
        return .success(delivery)
    }

    /// A librdkafka header list for `headers` (nil when there are none); the caller owns it until
    /// a successful produce takes it.
    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard !headers.isEmpty, let list = rd_kafka_headers_new(headers.count) else { return nil }
        for header in headers {
            // SAFETY: librdkafka copies name and value during the call.
            _ = withOptionalBytes(header.value) { value in
                rd_kafka_header_add(list, header.name, -1, value?.baseAddress, value.map { $0.count } ?? 0)
            }
        }
        return list
    }

    /// Records queued or in flight whose delivery report has not been served yet.
    public var pendingCount: Int { unreported.value }

    /// Waits until every record sent so far is acknowledged or failed, at most `timeout`.
    ///
    /// - Throws: ``KafkaError/Code/timedOut`` when records are still pending after `timeout`.
    public func flush(timeout: Duration) async throws(KafkaError) {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let error = await client.blocking { handle in rd_kafka_flush(handle, milliseconds) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(error, context: "\(pendingCount) records still pending after \(timeout)")
        }
    }

    /// Stops taking records, waits for the pending ones (at most the delivery timeout), fails what
    /// is left with ``KafkaError/Code/closed``, and frees the client. Calling it again does nothing.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let deliveryTimeout = Int32(clamping: configuration.deliveryTimeout.milliseconds)
        await client.blocking { handle in
            if rd_kafka_flush(handle, deliveryTimeout) != RD_KAFKA_RESP_ERR_NO_ERROR {
                // Nothing may wait for ever: what is still queued fails now, its reports served here.
                _ = rd_kafka_purge(handle, 0x1 | 0x2)  // RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT
                _ = rd_kafka_flush(handle, 1_000)
            }
        }
        signal.close()
        await pump.value
        let queue = UnsafeTransfer(mainQueue)
        let client = client
        await client.blocking { _ in
            rd_kafka_queue_cb_event_enable(queue.value, nil, nil)
            rd_kafka_queue_destroy(queue.value)
            client.destroy()
        }
    }

    deinit {
        // Not closed: no send is waiting (each holds the producer), so only the registration and
        // the queue reference remain; the client destroys itself off this thread.
        guard !closed.load(ordering: .acquiring) else { return }
        signal.close()
        rd_kafka_queue_cb_event_enable(mainQueue, nil, nil)
        rd_kafka_queue_destroy(mainQueue)
    }
}

/// How many of a producer's records are queued and not yet reported.
final class DeliveryCounter: Sendable {
    private let count = Atomic(0)

    /// The current count.
    var value: Int { count.load(ordering: .relaxed) }

    func increment() { count.add(1, ordering: .relaxed) }

    func decrement() { count.subtract(1, ordering: .relaxed) }
}

/// A record's delivery report, from the moment it is queued: librdkafka's callback completes it,
/// the sender awaits it (before or after it completed). Retained as the record's librdkafka opaque.
final class PendingDelivery: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>?)
        case done(Result<DeliveryReport, KafkaError>)
    }

    private let state = Mutex(State.waiting(nil))
    private let counter: DeliveryCounter

    /// A report to be completed; counted in `counter` until it is completed or abandoned.
    init(counter: DeliveryCounter) {
        self.counter = counter
        counter.increment()
    }

    /// Completes the report (called once, by the delivery callback).
    func complete(_ result: Result<DeliveryReport, KafkaError>) {
        let waiter = state.withLock { state -> CheckedContinuation<Result<DeliveryReport, KafkaError>, Never>? in
            guard case .waiting(let waiter) = state else { return nil }
            state = .done(result)
            counter.decrement()
            return waiter
        }
        waiter?.resume(returning: result)
    }

    /// Takes the record out of the count when librdkafka refused to queue it (no report will come).
    func abandon() {
        state.withLock { state in
            guard case .waiting = state else { return }
            state = .done(.failure(KafkaError(.closed, "not queued")))
            counter.decrement()
        }
    }

    /// The report, once the broker acknowledged the record or its delivery failed.
    func report() async -> Result<DeliveryReport, KafkaError> {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Result<DeliveryReport, KafkaError>? in
                switch state {
                case .done(let result): return result
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                }
            }
            if let done { continuation.resume(returning: done) }
        }
    }
}

/// librdkafka's delivery callback: runs inside rd_kafka_poll (or flush), once per record.
let kafkaDeliveryCallback:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        _,
        message,
        _ in
        // SAFETY: `message` is valid for the duration of the callback; its _private is the
        // PendingDelivery retained in submit, released here exactly once.
        guard let message, let opaque = message.pointee._private else { return }
        let delivery = Unmanaged<PendingDelivery>.fromOpaque(opaque).takeRetainedValue()
        let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        let error = message.pointee.err
        if error == RD_KAFKA_RESP_ERR_NO_ERROR {
            let offset = message.pointee.offset
            delivery.complete(
                .success(
                    DeliveryReport(
                        topic: topic,
                        partition: message.pointee.partition,
                        offset: offset >= 0 ? offset : nil
                    )
                )
            )
        } else {
            delivery.complete(.failure(KafkaError(error, context: "delivery to \(topic) failed")))
        }
    }

/// Runs `body` with the bytes of `bytes`, or with nil.
func withOptionalBytes<Result>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
