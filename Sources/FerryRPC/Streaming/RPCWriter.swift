/// Writes messages into a stream: requests on a client-streaming call, responses in a server
/// handler, parts between FerryRPC and a transport.
///
/// `write` suspends while the peer (or the transport's buffer) is not ready for more, which is how
/// flow control reaches the code producing messages.
public struct RPCWriter<Element: Sendable>: Sendable {
    @usableFromInline let writeElement: @Sendable (Element, WriteOptions) async throws(RPCError) -> Void

    /// Creates a writer that calls `write` for each element (and ignores ``WriteOptions``).
    public init(_ write: @escaping @Sendable (Element) async throws(RPCError) -> Void) {
        self.writeElement = { element, _ throws(RPCError) in try await write(element) }
    }

    /// Creates a writer that calls `write` for each element with the options it was written with.
    public init(withOptions write: @escaping @Sendable (Element, WriteOptions) async throws(RPCError) -> Void) {
        self.writeElement = write
    }

    /// A writer into a stream buffer.
    @inlinable
    package init(buffer: StreamBuffer<Element>) {
        self.writeElement = { element, _ throws(RPCError) in try await buffer.write(element) }
    }

    /// Writes one element.
    ///
    /// - Throws: ``RPCError`` when the stream has ended (the RPC finished, failed or was cancelled).
    public func write(_ element: Element) async throws(RPCError) {
        try await writeElement(element, .default)
    }

    /// Writes one element with `options`, e.g. ``WriteOptions/uncompressed``.
    ///
    /// - Throws: ``RPCError`` when the stream has ended (the RPC finished, failed or was cancelled).
    public func write(_ element: Element, options: WriteOptions) async throws(RPCError) {
        try await writeElement(element, options)
    }

    /// Writes each element of a sequence in order.
    public func write(contentsOf elements: some Sequence<Element>) async throws(RPCError) {
        for element in elements { try await writeElement(element, .default) }
    }
}

/// A writer that can also be finished: the transport's outbound half of a stream.
public struct ClosableRPCWriter<Element: Sendable>: Sendable {
    /// Writes elements.
    public let writer: RPCWriter<Element>
    @usableFromInline let finishStream: @Sendable () async -> Void

    /// Creates a writer from a write and a finish function.
    public init(
        write: @escaping @Sendable (Element) async throws(RPCError) -> Void,
        finish: @escaping @Sendable () async -> Void
    ) {
        self.writer = RPCWriter(write)
        self.finishStream = finish
    }

    /// Creates a writer from a write function that takes each element's ``WriteOptions`` and a
    /// finish function.
    public init(
        writeWithOptions write: @escaping @Sendable (Element, WriteOptions) async throws(RPCError) -> Void,
        finish: @escaping @Sendable () async -> Void
    ) {
        self.writer = RPCWriter(withOptions: write)
        self.finishStream = finish
    }

    /// A writer into a stream buffer; finishing finishes the buffer.
    @inlinable
    package init(buffer: StreamBuffer<Element>) {
        self.writer = RPCWriter(buffer: buffer)
        self.finishStream = { buffer.finish() }
    }

    /// Writes one element.
    public func write(_ element: Element) async throws(RPCError) {
        try await writer.write(element)
    }

    /// Writes one element with `options`, e.g. ``WriteOptions/uncompressed``.
    public func write(_ element: Element, options: WriteOptions) async throws(RPCError) {
        try await writer.write(element, options: options)
    }

    /// Ends the stream; later writes fail. Finishing twice has no effect.
    public func finish() async {
        await finishStream()
    }
}
