import FerryRPC
import NIOCore
import NIOSSL

/// The server role: accepting streams, their headers, deadlines and responses.
extension HTTP2ConnectionHandler {
    // MARK: Server streams

    /// The FerryRPC view of an accepted stream. Writes go through the outbox: a writer waits only
    /// while the stream is above its high watermark, never for the event loop.
    func makeServerStream(_ entry: ServerStreamEntry, streamID: Int32, clientAccepts: String?) -> RPCServerStream {
        watchReader(of: entry.inbound, account: entry.account, streamID: streamID)
        let writer = ServerStreamWriter(
            streamID: streamID,
            gate: entry.gate,
            account: entry.account,
            connection: self,
            wire: entry.machine.wire,
            enabled: server?.enabledEncodings ?? [],
            clientAccepts: clientAccepts
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
        let mustCancel = entry.machine.respond(part, acceptEncoding: server?.acceptEncodingHeader) { write in
            submit(write, on: streamID)
        }
        if mustCancel { cancel(entry) }
    }

    /// Hands one response write to the session.
    func submit(_ write: ResponseWrite, on streamID: Int32) {
        switch write {
        case .headers(let fields): try? session.submitResponseHeaders(fields, on: streamID)
        case .data(let bytes): session.enqueueData(bytes, on: streamID)
        case .end(let trailers): session.enqueueEnd(on: streamID, trailers: trailers)
        case .headersOnly(let fields): try? session.submitTrailersOnlyResponse(fields, on: streamID)
        }
    }

    /// The server is done with a stream; if no status went out, the stream is reset.
    func serverFinish(streamID: Int32) {
        guard let entry = serverStreams[streamID] else { return }
        if !entry.machine.sentStatus {
            session.resetStream(streamID, errorCode: HTTP2ErrorCode.cancel)
        }
    }

    // MARK: Inbound events

    func serverReceivedHeaders(streamID: Int32, fields: [HeaderField], endStream: Bool) {
        if let entry = serverStreams[streamID] {
            apply(entry.machine.receivedHeaders(fields, endStream: endStream).1, to: entry, streamID: streamID)
            return
        }
        guard let server else { return }
        let entry = ServerStreamEntry(
            machine: ServerStreamStateMachine(
                maxRequestMessageBytes: server.maxRequestMessageBytes,
                enabledEncodings: server.enabledEncodings,
                decompressors: decompressors,
                cors: server.cors
            ),
            budget: server.budget
        )
        let (decision, inbound) = entry.machine.receivedHeaders(fields, endStream: endStream)
        switch decision {
        case .reject(let headers, let body):
            ServerStreamStateMachine.whole(headers: headers, body: body) { submit($0, on: streamID) }
            return
        case .accept(let path, _, let timeout, let encoding, let clientAccepts, let httpMethod):
            guard server.admitHandler() else {
                // Every handler slot is taken: the client may retry the call elsewhere or later.
                session.resetStream(streamID, errorCode: HTTP2ErrorCode.refusedStream)
                return
            }
            serverStreams[streamID] = entry
            idleSince = nil
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            let context = entry.start(
                path: path,
                timeout: timeout,
                encoding: encoding,
                httpMethod: httpMethod,
                peer: peer,
                peerCertificate: clientCertificate(),
                eventLoop: eventLoop
            ) { bound.value.deadlinePassed(streamID: streamID) }
            accepted.append((makeServerStream(entry, streamID: streamID, clientAccepts: clientAccepts), context))
            apply(inbound, to: entry, streamID: streamID)
        case .none:
            return
        }
    }

    /// The certificate the client presented over TLS, if any (read once per connection).
    func clientCertificate() -> [UInt8]? {
        if let peerCertificate { return peerCertificate }
        let certificate = ServerStreamEntry.clientCertificate(on: context)
        peerCertificate = .some(certificate)
        return certificate
    }

    func apply(_ action: ServerStreamStateMachine.OnInbound, to entry: ServerStreamEntry, streamID: Int32) {
        for part in action.parts { entry.inbound.push(part) }
        if let failure = action.failure {
            entry.machine.stopReceiving()
            sendServerPart(.status(failure, [:]), entry: entry, streamID: streamID)
            cancel(entry)
        } else if action.finished {
            entry.inbound.finish()
        }
    }

    /// The client's deadline passed before the handler sent a status: answer DEADLINE_EXCEEDED and
    /// cancel the handler.
    func deadlinePassed(streamID: Int32) {
        guard let entry = serverStreams[streamID], !entry.machine.sentStatus else { return }
        let status = Status(code: .deadlineExceeded, message: "The deadline passed while the server handled the call.")
        sendServerPart(.status(status, [:]), entry: entry, streamID: streamID)
        entry.cancellation.cancel()
        entry.gate.close(Self.streamClosed)
        flush()
    }

    func cancel(_ entry: ServerStreamEntry) {
        entry.cancellation.cancel()
        entry.inbound.cancel(RPCError(code: .cancelled, message: "The client cancelled the stream."))
        entry.gate.close(Self.streamClosed)
    }

    /// What writers to a closed stream fail with.
    static let streamClosed = RPCError(code: .cancelled, message: "The stream is closed.")
}
