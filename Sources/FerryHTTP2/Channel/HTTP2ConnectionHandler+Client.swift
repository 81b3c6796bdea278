import FerryRPC
import NIOCore

/// The client role: opening streams and delivering what the server sends on them.
extension HTTP2ConnectionHandler {
    // MARK: Client streams

    /// Opens a client stream with request headers; a stream that cannot open ends its inbound
    /// parts with the reason (refused when the connection is closing, so that it is retried).
    func openClientStream(_ pending: PendingClientStream) {
        guard status.isAcceptingStreams else {
            pending.fail(PendingClientStream.connectionClosing)
            return
        }
        guard let headers = pending.requestHeaders(authority: authority, acceptEncoding: clientAcceptEncodingHeader)
        else { return }
        let streamID: Int32
        do {
            streamID = try session.submitRequest(headers)
        } catch {
            pending.fail(
                RPCError(code: .unavailable, message: "Cannot open a stream: \(error)", cause: StreamRefusedError())
            )
            return
        }
        pending.streamID = streamID
        let entry = ClientStreamEntry(
            machine: ClientStreamStateMachine(
                maxResponseMessageBytes: pending.options.maxResponseMessageBytes,
                acceptedEncodings: clientAcceptedEncodings,
                decompressors: decompressors,
                wire: pending.wire
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

    // MARK: Inbound events

    func apply(_ action: ClientStreamStateMachine.Action, to entry: ClientStreamEntry, streamID: Int32) {
        for part in action.parts { entry.inbound.push(part) }
        if action.finished { entry.inbound.finish(throwing: action.failure) }
        if let code = action.reset { session.resetStream(streamID, errorCode: code) }
    }
}
