/// Public: the inlinable buffer keeps its state in a `Mutex` (Synchronization).
public import Synchronization

/// A single-consumer queue between two tasks, with backpressure: `write` suspends while more than
/// `highWatermark` elements wait, and `next` suspends until an element or the end arrives.
///
/// The building block behind ``RPCAsyncSequence`` and ``RPCWriter`` for in-process streams and for
/// transports. `package` so that FerryHTTP2 can feed it from its event loop with ``push(_:)``, which
/// never suspends.
///
/// Inlinable so that FerryHTTP2 specializes it for its part types: unspecialized, every call
/// looked up the generic metadata of its state and continuations at run time (about a seventh of
/// the server's CPU time per unary call).
@usableFromInline
package final class StreamBuffer<Element: Sendable>: Sendable {
    @usableFromInline typealias ElementContinuation = CheckedContinuation<Result<Element?, RPCError>, Never>
    @usableFromInline typealias SpaceContinuation = CheckedContinuation<Result<Void, RPCError>, Never>

    @usableFromInline
    struct State {
        @usableFromInline var queue: [Element] = []
        @usableFromInline var head = 0
        @usableFromInline var end: RPCError?? = nil  // .some(nil) = finished cleanly, .some(error) = failed
        @usableFromInline var consumer: ElementContinuation?
        @usableFromInline var consumerCancelled = false
        @usableFromInline var producers: [Int: SpaceContinuation] = [:]
        @usableFromInline var cancelledProducers: Set<Int> = []
        @usableFromInline var nextProducerID = 0
        @usableFromInline var onConsume: (@Sendable (Element, Int) -> Void)?

        @inlinable init() {}

        @inlinable var waiting: Int { queue.count - head }

        @inlinable
        mutating func popFirst() -> Element? {
            guard head < queue.count else { return nil }
            let element = queue[head]
            head += 1
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return element
        }
    }

    @usableFromInline let state: Mutex<State>
    @usableFromInline let highWatermark: Int

    /// Creates a buffer that lets `highWatermark` elements wait before writers suspend.
    @inlinable
    package init(highWatermark: Int = 16) {
        // Set here rather than as the property's initial value: that would be a separate,
        // unspecialized function looking up `Mutex<State>`'s generic metadata on every buffer.
        self.state = Mutex(State())
        self.highWatermark = max(1, highWatermark)
    }

    /// Registers a callback run (outside the lock) every time the consumer takes an element, with
    /// that element and the number of elements still waiting; transports use it to return
    /// flow-control credit for the bytes the reader took.
    @inlinable
    package func setOnConsume(_ callback: @escaping @Sendable (_ consumed: Element, _ stillBuffered: Int) -> Void) {
        state.withLock { $0.onConsume = callback }
    }

    /// The number of elements waiting to be consumed.
    @inlinable
    package var bufferedCount: Int { state.withLock { $0.waiting } }

    /// Appends an element without ever suspending. Returns false when the buffer has already ended
    /// (the element is dropped).
    @discardableResult
    @inlinable
    package func push(_ element: Element) -> Bool {
        let consumer: ElementContinuation? = state.withLock { state in
            guard state.end == nil else { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.queue.append(element)
            return nil
        }
        if let consumer {
            consumer.resume(returning: .success(element))
            return true
        }
        return state.withLock { $0.end == nil }
    }

    /// Appends an element, suspending while the buffer is above its high watermark.
    ///
    /// - Throws: the error the buffer ended with, ``Status/Code/cancelled`` if it was finished or the
    ///   writing task is cancelled.
    @inlinable
    package func write(_ element: Element) async throws(RPCError) {
        try checkOpen()
        push(element)
        while true {
            let shouldWait = state.withLock { $0.end == nil && $0.waiting > highWatermark }
            if !shouldWait { break }
            try await waitForSpace()
        }
        try checkOpen()
    }

    @inlinable
    func checkOpen() throws(RPCError) {
        let end = state.withLock { $0.end }
        if let end {
            throw end ?? RPCError(code: .cancelled, message: "The stream has already finished.")
        }
    }

    @inlinable
    func waitForSpace() async throws(RPCError) {
        let id = state.withLock { state in
            state.nextProducerID += 1
            return state.nextProducerID
        }
        let result: Result<Void, RPCError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: SpaceContinuation) in
                let resumeNow: Result<Void, RPCError>? = state.withLock { state in
                    if state.cancelledProducers.remove(id) != nil {
                        return .failure(RPCError(code: .cancelled, message: "The writing task was cancelled."))
                    }
                    if state.end != nil || state.waiting <= highWatermark { return .success(()) }
                    state.producers[id] = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> SpaceContinuation? in
                if let waiter = state.producers.removeValue(forKey: id) { return waiter }
                state.cancelledProducers.insert(id)
                return nil
            }
            waiter?.resume(returning: .failure(RPCError(code: .cancelled, message: "The writing task was cancelled.")))
        }
        state.withLock { _ = $0.cancelledProducers.remove(id) }
        try result.get()
    }

    /// Takes the next element, suspending until one arrives; nil after a clean finish.
    ///
    /// - Throws: the error the buffer was finished with, or ``Status/Code/cancelled`` when the reading
    ///   task is cancelled (which also ends the buffer).
    @inlinable
    package func next() async throws(RPCError) -> Element? {
        let immediate: Result<Element?, RPCError>? = state.withLock { state in
            if let element = state.popFirst() { return .success(element) }
            if let end = state.end {
                if let error = end { return .failure(error) }
                return .success(nil)
            }
            return nil
        }
        if let immediate {
            if case .success(let element?) = immediate { consumed(element) } else { consumed(nil) }
            return try immediate.get()
        }
        let result: Result<Element?, RPCError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: ElementContinuation) in
                let resumeNow: Result<Element?, RPCError>? = state.withLock { state in
                    if let element = state.popFirst() { return .success(element) }
                    if let end = state.end { return end.map { .failure($0) } ?? .success(nil) }
                    if state.consumerCancelled {
                        return .failure(RPCError(code: .cancelled, message: "The reading task was cancelled."))
                    }
                    state.consumer = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> ElementContinuation? in
                state.consumerCancelled = true
                defer { state.consumer = nil }
                return state.consumer
            }
            waiter?.resume(returning: .failure(RPCError(code: .cancelled, message: "The reading task was cancelled.")))
        }
        state.withLock { $0.consumerCancelled = false }
        if case .success(let element?) = result { consumed(element) } else { consumed(nil) }
        return try result.get()
    }

    @inlinable
    func consumed(_ element: Element?) {
        let (producers, callback, remaining) = state.withLock {
            state -> ([SpaceContinuation], (@Sendable (Element, Int) -> Void)?, Int) in
            guard state.waiting <= highWatermark, !state.producers.isEmpty else {
                return ([], state.onConsume, state.waiting)
            }
            let waiting = Array(state.producers.values)
            state.producers.removeAll()
            return (waiting, state.onConsume, state.waiting)
        }
        for producer in producers { producer.resume(returning: .success(())) }
        if let element { callback?(element, remaining) }
    }

    /// Ends the buffer: the consumer reads what is queued and then nil (or `error`); writers fail.
    /// Later calls have no effect.
    @inlinable
    package func finish(throwing error: RPCError? = nil) {
        let (consumer, producers) = state.withLock { state -> (ElementContinuation?, [SpaceContinuation]) in
            guard state.end == nil else { return (nil, []) }
            state.end = .some(error)
            let consumer = state.waiting == 0 ? state.consumer : nil
            if consumer != nil { state.consumer = nil }
            let producers = Array(state.producers.values)
            state.producers.removeAll()
            return (consumer, producers)
        }
        consumer?.resume(returning: error.map { .failure($0) } ?? .success(nil))
        let writerError = error ?? RPCError(code: .cancelled, message: "The stream has already finished.")
        for producer in producers { producer.resume(returning: .failure(writerError)) }
    }

    /// Ends the buffer at once, dropping queued elements: the consumer's next read throws `error`.
    @inlinable
    package func cancel(_ error: RPCError) {
        let (consumer, producers) = state.withLock { state -> (ElementContinuation?, [SpaceContinuation]) in
            state.queue.removeAll()
            state.head = 0
            if state.end == nil || state.end! == nil { state.end = .some(error) }
            let consumer = state.consumer
            state.consumer = nil
            let producers = Array(state.producers.values)
            state.producers.removeAll()
            return (consumer, producers)
        }
        consumer?.resume(returning: .failure(error))
        for producer in producers { producer.resume(returning: .failure(error)) }
    }

    /// Whether the buffer has ended (finished, failed or cancelled).
    @inlinable
    package var isFinished: Bool { state.withLock { $0.end != nil } }
}
