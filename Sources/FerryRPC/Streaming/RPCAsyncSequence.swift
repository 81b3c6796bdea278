/// The one stream type of FerryRPC: an `AsyncSequence` of messages (or transport parts) that fails
/// only with ``RPCError``.
///
/// Streams of responses on the client, of requests on the server, and of parts between FerryRPC and
/// a transport are all this type, so public signatures never expose `AsyncStream` or a transport's
/// own sequence. Iterate it once.
public struct RPCAsyncSequence<Element: Sendable>: AsyncSequence, Sendable {
    /// Iteration fails only with ``RPCError``, so `for try await` needs no cast.
    public typealias Failure = RPCError

    @usableFromInline let makeNext: @Sendable () -> (() async throws(RPCError) -> Element?)

    /// Wraps another sequence; its errors become ``RPCError`` (see ``RPCError/init(converting:)``).
    public init<Base: AsyncSequence & Sendable>(wrapping base: Base) where Base.Element == Element {
        self.makeNext = {
            var iterator = base.makeAsyncIterator()
            return { () async throws(RPCError) -> Element? in
                do {
                    return try await iterator.next()
                } catch {
                    throw RPCError(converting: error)
                }
            }
        }
    }

    /// A sequence of the given elements, then the end (or `error`).
    public init(elements: [Element], failure error: RPCError? = nil) {
        self.makeNext = {
            var index = 0
            return { () async throws(RPCError) -> Element? in
                if index < elements.count {
                    index += 1
                    return elements[index - 1]
                }
                if let error { throw error }
                return nil
            }
        }
    }

    /// A sequence that reads from a stream buffer.
    @inlinable
    package init(buffer: StreamBuffer<Element>) {
        self.makeNext = {
            { () async throws(RPCError) -> Element? in try await buffer.next() }
        }
    }

    /// A sequence produced by a closure called once per iteration to create the element source.
    @inlinable
    package init(makeNext: @escaping @Sendable () -> (() async throws(RPCError) -> Element?)) {
        self.makeNext = makeNext
    }

    /// Transforms each element; a thrown error ends the sequence with that error.
    @inlinable
    package func mapElements<Mapped: Sendable>(
        _ transform: @escaping @Sendable (Element) throws(RPCError) -> Mapped?
    ) -> RPCAsyncSequence<Mapped> {
        let makeNext = self.makeNext
        return RPCAsyncSequence<Mapped>(makeNext: {
            let next = makeNext()
            return { () async throws(RPCError) -> Mapped? in
                while let element = try await next() {
                    if let mapped = try transform(element) { return mapped }
                }
                return nil
            }
        })
    }

    /// Passes each element through `transform` as it is read: how interceptors see, rewrite or
    /// reject messages. An error thrown by `transform` ends the sequence with it (as ``RPCError``).
    public func map<Mapped: Sendable>(
        _ transform: @escaping @Sendable (Element) async throws -> Mapped
    ) -> RPCAsyncSequence<Mapped> {
        let makeNext = self.makeNext
        return RPCAsyncSequence<Mapped>(makeNext: {
            let next = makeNext()
            return { () async throws(RPCError) -> Mapped? in
                guard let element = try await next() else { return nil }
                do { return try await transform(element) } catch { throw RPCError(converting: error) }
            }
        })
    }

    /// Starts the iteration; the sequence is meant to be iterated once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(nextElement: makeNext())
    }

    /// Reads every element into an array.
    public func collect() async throws(RPCError) -> [Element] {
        var result: [Element] = []
        var iterator = makeAsyncIterator()
        while let element = try await iterator.next() { result.append(element) }
        return result
    }

    /// Iterates an ``RPCAsyncSequence``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let nextElement: () async throws(RPCError) -> Element?

        fileprivate init(nextElement: @escaping () async throws(RPCError) -> Element?) {
            self.nextElement = nextElement
        }

        /// The next element, or nil at the end; throws the error the sequence ended with.
        public mutating func next() async throws(RPCError) -> Element? {
            try await nextElement()
        }

        /// As ``next()``: the actor isolation does not change how elements are read.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(RPCError) -> Element? {
            try await nextElement()
        }
    }
}
