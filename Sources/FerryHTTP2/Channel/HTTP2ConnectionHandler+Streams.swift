import FerryRPC
import NIOCore

extension HTTP2ConnectionHandler {
    // MARK: Outbox

    /// Queues an item written by a caller's task and schedules a drain on the event loop if none is
    /// pending. Safe from any thread.
    static func enqueue(_ item: ConnectionOutbox.Item, outbox: ConnectionOutbox, handler: NIOLoopBound<HTTP2ConnectionHandler>, eventLoop: any EventLoop) {
        if outbox.append(item) {
            eventLoop.execute { handler.value.drainOutbox() }
        }
    }

    /// Submits everything callers queued since the last drain to the session, then flushes once.
    func drainOutbox() {
        let items = outbox.take()
        var wroteMessagesOn: [Int32] = []
        for item in items {
            switch item {
            case .serverPart(let streamID, let part):
                guard let entry = serverStreams[streamID] else { continue }
                if case .message(let bytes) = part {
                    entry.gate.submitted(bytes.count)
                    wroteMessagesOn.append(streamID)
                }
                guard !entry.machine.sentStatus else { continue }
                sendServerPart(part, entry: entry, streamID: streamID)
            case .serverFinish(let streamID):
                serverFinish(streamID: streamID)
            case .clientOpen(let pending):
                openClientStream(pending)
            case .clientMessage(let pending, let bytes):
                let streamID = pending.streamID
                guard let entry = clientStreams[streamID] else { continue }
                entry.gate.submitted(bytes.count)
                guard !entry.machine.isClosed else { continue }
                session.enqueueData(bytes, on: streamID)
                wroteMessagesOn.append(streamID)
            case .clientFinish(let pending):
                guard clientStreams[pending.streamID] != nil else { continue }
                session.enqueueEnd(on: pending.streamID, trailers: nil)
            case .clientRelease(let pending):
                clientRelease(streamID: pending.streamID)
            }
        }
        flush()
        for streamID in wroteMessagesOn { reportQueued(on: streamID) }
    }

    // MARK: Server streams

    /// The FerryRPC view of an accepted stream. Writes go through the outbox: a writer waits only
    /// while the stream is above its high watermark, never for the event loop.
    func makeServerStream(_ entry: ServerStreamEntry, streamID: Int32, clientAccepts: String?) -> RPCServerStream {
        watchReader(of: entry.inbound, account: entry.account, streamID: streamID)
        let writer = ServerStreamWriter(
            streamID: streamID, gate: entry.gate, account: entry.account, handler: self,
            enabled: server?.enabledEncodings ?? [], clientAccepts: clientAccepts
        )
        return RPCServerStream(
            inbound: RPCAsyncSequence(buffer: entry.inbound),
            outbound: ClosableRPCWriter(
                writeWithOptions: { part, options throws(RPCError) in try await writer.write(part, options: options) },
                finish: { writer.finish() }
            )
        )
    }

    func sendServerPart(_ part: RPCResponsePart, entry: ServerStreamEntry, streamID: Int32) {
        switch part {
        case .metadata(let metadata):
            if entry.machine.sendHeaders() {
                // The writer left grpc-encoding in the metadata only if the messages are compressed.
                let encoding = metadata.firstString(forKey: "grpc-encoding").flatMap(CompressionAlgorithm.init(name:))
                let headers = HeaderCoding.responseHeaders(
                    metadata: metadata, encoding: encoding, acceptEncoding: server?.acceptEncodingHeader
                )
                try? session.submitResponseHeaders(headers, on: streamID)
            }
        case .message(let framed):
            // Messages reach the outbox already framed by the writer (ServerStreamWriter).
            if entry.machine.sendHeaders() {
                let headers = HeaderCoding.responseHeaders(metadata: [:], acceptEncoding: server?.acceptEncodingHeader)
                try? session.submitResponseHeaders(headers, on: streamID)
            }
            session.enqueueData(framed, on: streamID)
        case .status(let status, let metadata):
            switch entry.machine.sendStatus() {
            case .trailers:
                let trailers = HeaderCoding.trailers(status: status, metadata: metadata, trailersOnly: false)
                session.enqueueEnd(on: streamID, trailers: trailers)
            case .trailersOnly:
                let headers = HeaderCoding.trailers(status: status, metadata: metadata, trailersOnly: true)
                try? session.submitTrailersOnlyResponse(headers, on: streamID)
            case .none:
                break
            }
        }
    }

    /// The server is done with a stream; if no status went out, the stream is reset.
    func serverFinish(streamID: Int32) {
        guard let entry = serverStreams[streamID] else { return }
        if !entry.machine.sentStatus {
            session.resetStream(streamID, errorCode: HTTP2ErrorCode.cancel)
        }
    }

    // MARK: Client streams

    /// Opens a client stream with request headers; a stream that cannot open ends its inbound
    /// parts with the reason (refused when the connection is closing, so that it is retried).
    func openClientStream(_ pending: PendingClientStream) {
        func fail(_ error: RPCError) {
            pending.inbound.finish(throwing: error)
            pending.gate.close(error)
        }
        guard status.isAcceptingStreams else {
            fail(RPCError(code: .unavailable, message: "The connection is closing.", cause: StreamRefusedError()))
            return
        }
        let timeout = pending.options.deadline.map { $0 - ContinuousClock.now }
        if let timeout, timeout <= .zero {
            fail(RPCError(code: .deadlineExceeded, message: "The deadline passed before the call started."))
            return
        }
        let headers = HeaderCoding.requestHeaders(
            path: pending.path, authority: authority, timeout: timeout, metadata: pending.metadata,
            encoding: pending.options.compression, acceptEncoding: clientAcceptEncodingHeader
        )
        let streamID: Int32
        do {
            streamID = try session.submitRequest(headers)
        } catch {
            fail(RPCError(code: .unavailable, message: "Cannot open a stream: \(error)", cause: StreamRefusedError()))
            return
        }
        pending.streamID = streamID
        let entry = ClientStreamEntry(
            machine: ClientStreamStateMachine(
                maxResponseMessageBytes: pending.options.maxResponseMessageBytes, acceptedEncodings: clientAcceptedEncodings,
                decompressors: decompressors
            ),
            inbound: pending.inbound,
            gate: pending.gate
        )
        clientStreams[streamID] = entry
        watchReader(of: pending.inbound, account: entry.account, streamID: streamID)
    }

    /// The caller is done with the stream: reset it if it is still open (CANCEL when no status arrived,
    /// NO_ERROR when the response is complete but our side was still open).
    func clientRelease(streamID: Int32) {
        guard streamID != 0, let entry = clientStreams.removeValue(forKey: streamID) else { return }
        backlogged[streamID] = nil
        let completed = entry.machine.isClosed
        session.resetStream(streamID, errorCode: completed ? HTTP2ErrorCode.noError : HTTP2ErrorCode.cancel)
        entry.inbound.cancel(RPCError(code: .cancelled, message: "The call was cancelled."))
        entry.gate.close(Self.streamClosed)
    }
}
