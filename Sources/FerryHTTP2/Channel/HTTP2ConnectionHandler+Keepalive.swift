import NIOCore

/// Keepalive PINGs (gRPC A8) on either side of a connection: one self-rearming timer per
/// connection, moved by reads only when it fires, so a busy connection costs no timer per read.
extension HTTP2ConnectionHandler {
    /// Starts the keepalive timer once the connection is up (no-op without ``keepalive``).
    func startKeepalive() {
        guard keepalive != nil, keepaliveTimer == nil, context?.channel.isActive == true else { return }
        lastReadAt = eventLoop.now
        armKeepalive(at: lastReadAt + TimeAmount(keepalive?.time ?? .zero))
    }

    func cancelKeepalive() {
        keepaliveTimer?.cancel()
        keepaliveTimer = nil
    }

    /// The peer acknowledged a PING: if it was the keepalive's, the next one is due one interval
    /// from now.
    func keepalivePingAcknowledged() {
        guard let keepalive, keepalivePingSentAt != nil else { return }
        keepalivePingSentAt = nil
        keepaliveTimer?.cancel()
        armKeepalive(at: eventLoop.now + TimeAmount(keepalive.time))
    }

    private func armKeepalive(at deadline: NIODeadline) {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        keepaliveTimer = eventLoop.scheduleTask(deadline: deadline) { bound.value.keepaliveTimerFired() }
    }

    /// Either the time since the last read is up (send a PING, or wait while a client without calls
    /// may not PING) or the PING's timeout is (close unless something arrived meanwhile).
    private func keepaliveTimerFired() {
        keepaliveTimer = nil
        guard let keepalive, let context, context.channel.isActive else { return }
        let now = eventLoop.now
        if let sentAt = keepalivePingSentAt {
            keepalivePingSentAt = nil
            if lastReadAt >= sentAt {
                armKeepalive(at: lastReadAt + TimeAmount(keepalive.time))
                return
            }
            closeReason = "no answer to a keepalive PING within \(keepalive.timeout) (keepalive timeout)"
            context.close(promise: nil)
            return
        }
        let due = lastReadAt + TimeAmount(keepalive.time)
        if now < due {
            armKeepalive(at: due)
            return
        }
        if server == nil, !keepalive.permitWithoutCalls, clientStreams.isEmpty {
            // A client PINGs only while calls are open: look again one interval from now.
            armKeepalive(at: now + TimeAmount(keepalive.time))
            return
        }
        session.submitPing()
        keepalivePingSentAt = now
        flush()
        armKeepalive(at: now + TimeAmount(keepalive.timeout))
    }
}
