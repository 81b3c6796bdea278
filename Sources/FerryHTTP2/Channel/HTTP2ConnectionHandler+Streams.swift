import FerryRPC
import NIOCore

extension HTTP2ConnectionHandler {
    // MARK: Server streams

    /// The FerryRPC view of an accepted stream; its writer hops to the event loop for every part.
    func makeServerStream(_ entry: ServerStreamEntry, streamID: Int32) -> RPCServerStream {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let eventLoop = self.eventLoop
        watchReader(of: entry.inbound, credit: entry.credit, streamID: streamID)
        return RPCServerStream(
            inbound: RPCAsyncSequence(buffer: entry.inbound),
            outbound: ClosableRPCWriter(
                write: { part throws(RPCError) in
                    do {
                        // A writer waiting for the peer's window gives up when its task is cancelled.
                        try await withTaskCancellationHandler {
                            try await eventLoop.flatSubmit { bound.value.serverWrite(part, streamID: streamID) }.get()
                        } onCancel: {
                            eventLoop.execute { bound.value.cancelWriters(streamID: streamID) }
                        }
                    } catch {
                        throw RPCError(converting: error)
                    }
                },
                finish: {
                    eventLoop.execute { bound.value.serverFinish(streamID: streamID) }
                }
            )
        )
    }

    func serverWrite(_ part: RPCResponsePart, streamID: Int32) -> EventLoopFuture<Void> {
        guard let entry = serverStreams[streamID], !entry.machine.sentStatus else {
            return eventLoop.makeFailedFuture(RPCError(code: .cancelled, message: "The stream is closed."))
        }
        sendServerPart(part, entry: entry, streamID: streamID)
        flush()
        if case .message = part { return writability(of: streamID, writers: &entry.writers) }
        return eventLoop.makeSucceededVoidFuture()
    }

    func sendServerPart(_ part: RPCResponsePart, entry: ServerStreamEntry, streamID: Int32) {
        switch part {
        case .metadata(let metadata):
            if entry.machine.sendHeaders() {
                try? session.submitResponseHeaders(HeaderCoding.responseHeaders(metadata: metadata), on: streamID)
            }
        case .message(let bytes):
            if entry.machine.sendHeaders() {
                try? session.submitResponseHeaders(HeaderCoding.responseHeaders(metadata: [:]), on: streamID)
            }
            session.enqueueData(GRPCMessageDeframer.frame(bytes), on: streamID)
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
            flush()
        }
    }

    /// Fails the writers waiting for room on a stream (their tasks were cancelled).
    func cancelWriters(streamID: Int32) {
        if let entry = clientStreams[streamID] { failWriters(&entry.writers) }
        if let entry = serverStreams[streamID] { failWriters(&entry.writers) }
    }

    // MARK: Client streams

    /// Opens a client stream with request headers.
    func openClientStream(
        path: String,
        metadata: Metadata,
        deadline: ContinuousClock.Instant?,
        maxResponseMessageBytes: Int,
        inbound: StreamBuffer<RPCResponsePart>
    ) -> EventLoopFuture<Int32> {
        guard status.isAcceptingStreams else {
            return eventLoop.makeFailedFuture(RPCError(code: .unavailable, message: "The connection is closing."))
        }
        let timeout = deadline.map { $0 - ContinuousClock.now }
        if let timeout, timeout <= .zero {
            return eventLoop.makeFailedFuture(RPCError(code: .deadlineExceeded, message: "The deadline passed before the call started."))
        }
        let headers = HeaderCoding.requestHeaders(path: path, authority: authority, timeout: timeout, metadata: metadata)
        let streamID: Int32
        do {
            streamID = try session.submitRequest(headers)
        } catch {
            return eventLoop.makeFailedFuture(RPCError(code: .unavailable, message: "Cannot open a stream: \(error)"))
        }
        let entry = ClientStreamEntry(
            machine: ClientStreamStateMachine(maxResponseMessageBytes: maxResponseMessageBytes),
            inbound: inbound
        )
        clientStreams[streamID] = entry
        watchReader(of: inbound, credit: entry.credit, streamID: streamID)
        flush()
        return eventLoop.makeSucceededFuture(streamID)
    }

    func clientWrite(_ bytes: [UInt8], streamID: Int32) -> EventLoopFuture<Void> {
        guard let entry = clientStreams[streamID], !entry.machine.isClosed else {
            return eventLoop.makeFailedFuture(RPCError(code: .cancelled, message: "The stream is closed."))
        }
        session.enqueueData(GRPCMessageDeframer.frame(bytes), on: streamID)
        flush()
        return writability(of: streamID, writers: &entry.writers)
    }

    func clientFinish(streamID: Int32) {
        guard clientStreams[streamID] != nil else { return }
        session.enqueueEnd(on: streamID, trailers: nil)
        flush()
    }

    /// The caller is done with the stream: reset it if it is still open (CANCEL when no status arrived,
    /// NO_ERROR when the response is complete but our side was still open).
    func clientRelease(streamID: Int32) {
        guard let entry = clientStreams.removeValue(forKey: streamID) else { return }
        let completed = entry.machine.isClosed
        session.resetStream(streamID, errorCode: completed ? HTTP2ErrorCode.noError : HTTP2ErrorCode.cancel)
        entry.inbound.cancel(RPCError(code: .cancelled, message: "The call was cancelled."))
        failWriters(&entry.writers)
        flush()
    }
}
