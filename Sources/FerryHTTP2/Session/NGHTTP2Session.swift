internal import CNGHTTP2

/// The one owner of an `nghttp2_session*` and of every unsafe pointer use in Ferry.
///
/// nghttp2 does no I/O here: received bytes go in through ``receive(_:)`` (`nghttp2_session_mem_recv`)
/// and bytes to send come out of ``drainOutput()`` (`nghttp2_session_mem_send`), so the session is
/// driven by a SwiftNIO channel and testable with byte arrays. Callbacks turn into
/// ``HTTP2SessionEvent`` values collected during a call and returned to the caller.
///
/// Not thread-safe: use it from one thread (the channel's event loop).
final class NGHTTP2Session {
    enum Role {
        case client
        case server
    }

    /// What a stream's data provider sends once its queued bytes are gone.
    private enum OutboundEnd {
        case endStream
        case trailers([HeaderField])
    }

    private struct OutboundData {
        var chunks: [[UInt8]] = []
        var chunkOffset = 0
        var queuedBytes = 0
        var end: OutboundEnd?
        var deferred = false
    }

    /// Reported when nghttp2 rejects a call or received bytes; the connection cannot continue.
    struct SessionError: Error, CustomStringConvertible {
        var operation: String
        var code: Int
        /// The HTTP/2 error code a GOAWAY for this failure carries: ENHANCE_YOUR_CALM for floods
        /// (acknowledgements the peer never reads, endless CONTINUATION frames), PROTOCOL_ERROR otherwise.
        var goAwayCode: UInt32 {
            switch Int32(truncatingIfNeeded: code) {
            case NGHTTP2_ERR_FLOODED.rawValue, NGHTTP2_ERR_TOO_MANY_CONTINUATIONS.rawValue:
                HTTP2ErrorCode.enhanceYourCalm
            default: HTTP2ErrorCode.protocolError
            }
        }
        var description: String {
            // SAFETY: nghttp2_strerror returns a pointer to a static string for every code.
            "\(operation) failed: \(String(cString: nghttp2_strerror(Int32(truncatingIfNeeded: code))))"
        }
    }

    let role: Role
    // SAFETY: created in init, freed only in deinit; never escapes this class.
    private let session: OpaquePointer
    private var events: [HTTP2SessionEvent] = []
    /// The header block being received. HTTP/2 sends a block's HEADERS and CONTINUATION frames
    /// back to back (RFC 9113 section 4.3), so there is only ever one.
    private var headerBlock = HeaderBlock(streamID: 0)
    private var outbound: [Int32: OutboundData] = [:]
    /// The header list size we announce (SETTINGS_MAX_HEADER_LIST_SIZE) and enforce on every block.
    private let maxHeaderListSize: Int
    /// Whether a GOAWAY frame went out, so a fatal error does not send a second one.
    private(set) var sentGoAway = false
    /// Whether HEADERS or DATA went out since ``takeSentStreamFrames()`` was last called (keepalive
    /// enforcement forgives PINGs that follow real traffic).
    private var sentStreamFrames = false

    /// A header block being received: its fields, and its size as RFC 9113 section 6.5.2 counts it
    /// (name + value + 32 per field), which keeps growing after the block went over the limit.
    private struct HeaderBlock {
        var streamID: Int32
        var fields: [HeaderField] = []
        var size = 0
    }

    init(role: Role, settings: HTTP2Settings) throws(SessionError) {
        self.role = role
        self.maxHeaderListSize = settings.maxHeaderListSize
        var callbacks: OpaquePointer?
        var rc = nghttp2_session_callbacks_new(&callbacks)
        guard rc == 0, let callbacks else {
            throw SessionError(operation: "nghttp2_session_callbacks_new", code: Int(rc))
        }
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.install(callbacks)

        var option: OpaquePointer?
        rc = nghttp2_option_new(&option)
        guard rc == 0, let option else { throw SessionError(operation: "nghttp2_option_new", code: Int(rc)) }
        defer { nghttp2_option_del(option) }
        nghttp2_option_set_max_send_header_block_length(option, 1 << 16)
        // Flow control follows the application: WINDOW_UPDATEs go out only as received bytes are
        // consumed (see consume(_:on:)), so a slow reader slows the peer instead of buffering.
        nghttp2_option_set_no_auto_window_update(option, 1)
        // Ferry does not use RFC 7540 priorities, so nghttp2 need not keep closed streams around
        // for the priority tree: an idle connection then holds no stream state at all.
        nghttp2_option_set_no_closed_streams(option, 1)
        // nghttp2's own flood limits, set explicitly rather than trusted to the library's defaults:
        // at most 8 CONTINUATION frames after a HEADERS frame, 1,000 unread SETTINGS/PING
        // acknowledgements, 32 entries per SETTINGS frame. Each breach fails mem_recv, and the
        // connection handler answers GOAWAY(ENHANCE_YOUR_CALM). The stream-reset limiter is only a
        // backstop above the connection handler's own, which answers ENHANCE_YOUR_CALM where
        // nghttp2 would say INTERNAL_ERROR.
        nghttp2_option_set_max_continuations(option, 8)
        nghttp2_option_set_max_outbound_ack(option, 1000)
        nghttp2_option_set_max_settings(option, 32)
        nghttp2_option_set_stream_reset_rate_limit(option, 10_000, 1_000)

        var created: OpaquePointer?
        // The session starts with a placeholder user_data; the real `self` pointer is set right below
        // once `self` is fully initialized.
        switch role {
        case .client: rc = nghttp2_session_client_new2(&created, callbacks, nil, option)
        case .server: rc = nghttp2_session_server_new2(&created, callbacks, nil, option)
        }
        guard rc == 0, let created else { throw SessionError(operation: "nghttp2_session_new", code: Int(rc)) }
        self.session = created
        // SAFETY: nghttp2 only hands user_data back inside callbacks, which run only during calls this
        // class makes on `session` while `self` is alive; `session` is deleted in deinit. So an
        // unretained pointer to `self` is always valid when a callback reads it, and no cycle forms.
        nghttp2_session_set_user_data(session, Unmanaged.passUnretained(self).toOpaque())

        var entries = [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                value: UInt32(clamping: settings.maxConcurrentStreams)
            ),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                value: UInt32(clamping: settings.initialWindowSize)
            ),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_FRAME_SIZE.rawValue),
                value: UInt32(clamping: settings.maxFrameSize)
            ),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                value: UInt32(clamping: settings.maxHeaderListSize)
            ),
        ]
        if role == .client {
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0))
        }
        rc = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), entries, entries.count)
        guard rc == 0 else { throw SessionError(operation: "nghttp2_submit_settings", code: Int(rc)) }
        rc = nghttp2_session_set_local_window_size(
            session,
            UInt8(NGHTTP2_FLAG_NONE.rawValue),
            0,
            Int32(clamping: settings.connectionWindowSize)
        )
        guard rc == 0 else { throw SessionError(operation: "nghttp2_session_set_local_window_size", code: Int(rc)) }
    }

    deinit {
        nghttp2_session_del(session)
    }

    // MARK: Driving the session

    /// Processes received bytes and returns what happened.
    ///
    /// - Throws: ``SessionError`` when the peer violated the protocol badly enough that the connection
    ///   must close (nghttp2 has queued a GOAWAY to send first).
    func receive(_ bytes: UnsafeRawBufferPointer) throws(SessionError) -> [HTTP2SessionEvent] {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else { return [] }
        let consumed = nghttp2_session_mem_recv(session, base, bytes.count)
        if consumed < 0 { throw SessionError(operation: "nghttp2_session_mem_recv", code: consumed) }
        return takeEvents()
    }

    /// Returns every byte nghttp2 wants to send now (frames, including data from data providers).
    func drainOutput() throws(SessionError) -> [UInt8] {
        var output: [UInt8] = []
        try drainOutput { output.append(contentsOf: $0) }
        return output
    }

    /// Hands every byte nghttp2 wants to send now to `sink`, chunk by chunk, without an intermediate
    /// copy. `sink` must copy the bytes: they are valid only during its call.
    func drainOutput(_ sink: (UnsafeRawBufferPointer) -> Void) throws(SessionError) {
        while true {
            var chunk: UnsafePointer<UInt8>?
            let length = nghttp2_session_mem_send(session, &chunk)
            if length < 0 { throw SessionError(operation: "nghttp2_session_mem_send", code: length) }
            guard length > 0, let chunk else { break }
            // SAFETY: nghttp2 guarantees `chunk` points at `length` valid bytes until the next call
            // into the session, and `sink` copies them before returning.
            sink(UnsafeRawBufferPointer(start: chunk, count: length))
        }
    }

    /// Events produced by calls other than ``receive(_:)`` (stream closes caused by our own resets).
    func takeEvents() -> [HTTP2SessionEvent] {
        // Hands the array over rather than copying it: emptying it "keeping capacity" while the
        // caller holds it allocated a new buffer on every call, events or not.
        guard !events.isEmpty else { return [] }
        let taken = events
        events = []
        return taken
    }

    /// Whether the session still has reading or writing to do; when both are false the connection
    /// can close.
    var wantsReadOrWrite: Bool {
        nghttp2_session_want_read(session) != 0 || nghttp2_session_want_write(session) != 0
    }

    /// The highest stream id the peer opened that we processed (for GOAWAY).
    var lastProcessedStreamID: Int32 { nghttp2_session_get_last_proc_stream_id(session) }

    /// Bytes queued on a stream that the peer's flow-control window has not yet let out.
    func queuedBytes(on streamID: Int32) -> Int { outbound[streamID]?.queuedBytes ?? 0 }

    // MARK: Submitting frames

    /// Opens a client stream with request headers; its body follows through ``enqueueData(_:on:)``.
    func submitRequest(_ headers: [HeaderField]) throws(SessionError) -> Int32 {
        let streamID = Self.withNameValues(headers) { nva in
            var provider = Self.dataProvider()
            return nghttp2_submit_request(session, nil, nva.baseAddress, nva.count, &provider, nil)
        }
        guard streamID > 0 else { throw SessionError(operation: "nghttp2_submit_request", code: Int(streamID)) }
        outbound[streamID] = OutboundData()
        return streamID
    }

    /// Sends response headers and opens the response body.
    func submitResponseHeaders(_ headers: [HeaderField], on streamID: Int32) throws(SessionError) {
        let rc = Self.withNameValues(headers) { nva in
            var provider = Self.dataProvider()
            return nghttp2_submit_response(session, streamID, nva.baseAddress, nva.count, &provider)
        }
        guard rc == 0 else { throw SessionError(operation: "nghttp2_submit_response", code: Int(rc)) }
        outbound[streamID] = OutboundData()
    }

    /// Sends a header block that also ends the stream: a Trailers-Only gRPC response.
    func submitTrailersOnlyResponse(_ headers: [HeaderField], on streamID: Int32) throws(SessionError) {
        let rc = Self.withNameValues(headers) { nva in
            nghttp2_submit_response(session, streamID, nva.baseAddress, nva.count, nil)
        }
        guard rc == 0 else { throw SessionError(operation: "nghttp2_submit_response", code: Int(rc)) }
    }

    /// Queues body bytes on a stream whose headers were submitted.
    func enqueueData(_ bytes: [UInt8], on streamID: Int32) {
        guard !bytes.isEmpty, outbound[streamID] != nil else { return }
        outbound[streamID]!.chunks.append(bytes)
        outbound[streamID]!.queuedBytes += bytes.count
        resumeIfDeferred(streamID)
    }

    /// Ends the stream after the queued bytes: with END_STREAM on the last DATA frame (client) or with
    /// a trailers HEADERS frame (server, when `trailers` is given).
    func enqueueEnd(on streamID: Int32, trailers: [HeaderField]?) {
        guard outbound[streamID] != nil, outbound[streamID]!.end == nil else { return }
        outbound[streamID]!.end = trailers.map { .trailers($0) } ?? .endStream
        resumeIfDeferred(streamID)
    }

    private func resumeIfDeferred(_ streamID: Int32) {
        guard outbound[streamID]?.deferred == true else { return }
        outbound[streamID]!.deferred = false
        nghttp2_session_resume_data(session, streamID)
    }

    /// Credits `count` received body bytes back to the connection's window. Ferry does this as soon
    /// as bytes arrive, so one slow stream never stalls the others.
    func consumeConnection(_ count: Int) {
        guard count > 0 else { return }
        nghttp2_session_consume_connection(session, count)
    }

    /// Credits `count` received body bytes back to a stream's window, once its reader took them.
    func consumeStream(_ count: Int, on streamID: Int32) {
        guard count > 0 else { return }
        nghttp2_session_consume_stream(session, streamID, count)
    }

    /// Resets a stream (RST_STREAM) with an HTTP/2 error code.
    func resetStream(_ streamID: Int32, errorCode: UInt32) {
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode)
        outbound[streamID] = nil
    }

    /// Starts a graceful shutdown (server): a GOAWAY with the maximum stream id so the client stops
    /// opening streams, then, after a round trip, one with the real last stream id.
    func submitShutdownNotice() {
        nghttp2_submit_shutdown_notice(session)
    }

    /// The most bytes of a received GOAWAY's debug data kept in ``HTTP2SessionEvent/goAway``; gRPC's
    /// reasons (`too_many_pings`, `max_age`) are a few bytes, and a peer may send up to a frame.
    static let maxGoAwayDebugBytes = 256

    /// Sends GOAWAY naming the last stream we will process, with optional debug data (gRPC peers
    /// read `too_many_pings` there).
    func submitGoAway(errorCode: UInt32 = HTTP2ErrorCode.noError, debugData: String = "") {
        var bytes = Array(debugData.utf8)
        // SAFETY: nghttp2 copies the debug data during the call.
        nghttp2_submit_goaway(
            session,
            UInt8(NGHTTP2_FLAG_NONE.rawValue),
            lastProcessedStreamID,
            errorCode,
            &bytes,
            bytes.count
        )
    }

    /// A GOAWAY frame encoded by hand, for a session that can no longer send frames itself (after a
    /// fatal receive error for which nghttp2 queued no GOAWAY, e.g. a flood).
    func encodedGoAway(errorCode: UInt32, debugData: String) -> [UInt8] {
        let debug = Array(debugData.utf8)
        let length = 8 + debug.count
        var frame: [UInt8] = [
            UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8),
            UInt8(truncatingIfNeeded: length),
        ]
        frame += [0x7, 0x0, 0, 0, 0, 0]  // type GOAWAY, no flags, stream 0
        for value in [UInt32(bitPattern: max(0, lastProcessedStreamID)), errorCode] {
            frame += [
                UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value),
            ]
        }
        return frame + debug
    }

    /// Sends a PING (the peer's answer is handled by nghttp2).
    func submitPing() {
        nghttp2_submit_ping(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil)
    }

    // MARK: Callback targets (called by the trampolines below)

    fileprivate func beginHeaders(streamID: Int32) {
        headerBlock = HeaderBlock(streamID: streamID)
        // Room for a gRPC call's usual fields in one allocation, not one per doubling.
        headerBlock.fields.reserveCapacity(12)
    }

    /// Adds a field to the block being received unless the block is over the announced header list
    /// size: then only its size keeps counting, so HPACK references that expand a small block into
    /// megabytes of headers never hold more than the limit.
    fileprivate func header(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard headerBlock.streamID == streamID else { return }
        headerBlock.size += name.count + value.count + 32
        if headerBlock.size <= maxHeaderListSize {
            headerBlock.fields.append(HeaderField(CommonHeaderText.string(name), CommonHeaderText.string(value)))
        }
    }

    fileprivate func frameReceived(type: UInt8, flags: UInt8, streamID: Int32, frame: UnsafePointer<nghttp2_frame>) {
        let endStream = flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch UInt32(type) {
        case NGHTTP2_HEADERS.rawValue:
            var block = HeaderBlock(streamID: 0)
            if headerBlock.streamID == streamID { swap(&block, &headerBlock) }
            if block.size > maxHeaderListSize {
                events.append(.headerListTooLarge(streamID: streamID, size: block.size, limit: maxHeaderListSize))
            } else {
                events.append(.headers(streamID: streamID, fields: block.fields, endStream: endStream))
            }
        case NGHTTP2_RST_STREAM.rawValue:
            events.append(.peerReset(streamID: streamID))
        case NGHTTP2_DATA.rawValue:
            if endStream { events.append(.endOfData(streamID: streamID)) }
        case NGHTTP2_PING.rawValue:
            events.append(flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 ? .pingAcknowledged : .pingReceived)
        case NGHTTP2_SETTINGS.rawValue:
            if flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 { events.append(.remoteSettings) }
        case NGHTTP2_GOAWAY.rawValue:
            // The debug data lives in nghttp2's frame for the duration of this callback; at most
            // maxGoAwayDebugBytes are copied out (the peer decides its length).
            var debugData = ""
            if let bytes = cnghttp2_frame_goaway_debug_data(frame) {
                let count = min(cnghttp2_frame_goaway_debug_data_length(frame), Self.maxGoAwayDebugBytes)
                debugData = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
            }
            events.append(
                .goAway(
                    lastStreamID: cnghttp2_frame_goaway_last_stream_id(frame),
                    errorCode: cnghttp2_frame_goaway_error_code(frame),
                    debugData: debugData
                )
            )
        default:
            break
        }
    }

    /// After a frame went out: note GOAWAY and stream traffic, and once a server has ended its
    /// side of a stream whose request is still open, ask the client to stop sending it
    /// (RST_STREAM NO_ERROR, RFC 9113 section 8.1), so nothing more is received for a finished call.
    fileprivate func frameSent(type: UInt8, flags: UInt8, streamID: Int32) {
        switch UInt32(type) {
        case NGHTTP2_GOAWAY.rawValue:
            sentGoAway = true
        case NGHTTP2_HEADERS.rawValue, NGHTTP2_DATA.rawValue:
            sentStreamFrames = true
            let endStream = flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            if role == .server, endStream, nghttp2_session_get_stream_remote_close(session, streamID) == 0 {
                nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, HTTP2ErrorCode.noError)
            }
        default:
            break
        }
    }

    /// Whether HEADERS or DATA went out since the last call.
    func takeSentStreamFrames() -> Bool {
        defer { sentStreamFrames = false }
        return sentStreamFrames
    }

    fileprivate func dataReceived(streamID: Int32, bytes: UnsafeBufferPointer<UInt8>) {
        events.append(.data(streamID: streamID, bytes: Array(bytes)))
    }

    fileprivate func streamClosed(streamID: Int32, errorCode: UInt32) {
        outbound[streamID] = nil
        if headerBlock.streamID == streamID { headerBlock = HeaderBlock(streamID: 0) }
        events.append(.streamClosed(streamID: streamID, errorCode: errorCode))
    }

    /// Fills nghttp2's buffer with queued body bytes; defers when there are none yet; ends the stream
    /// or sends trailers when asked and the queue is empty.
    fileprivate func readData(
        streamID: Int32,
        into buffer: UnsafeMutableRawBufferPointer,
        flags: UnsafeMutablePointer<UInt32>
    ) -> Int {
        guard var data = outbound[streamID] else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        var written = 0
        while written < buffer.count, !data.chunks.isEmpty {
            let chunk = data.chunks[0]
            let available = chunk.count - data.chunkOffset
            let count = min(available, buffer.count - written)
            chunk.withUnsafeBytes { source in
                let slice = UnsafeRawBufferPointer(rebasing: source[data.chunkOffset..<(data.chunkOffset + count)])
                // SAFETY: `buffer` is nghttp2's writable area of `buffer.count` bytes; `written + count`
                // never exceeds it.
                UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + count)]).copyMemory(from: slice)
            }
            written += count
            data.queuedBytes -= count
            if count == available {
                data.chunks.removeFirst()
                data.chunkOffset = 0
            } else {
                data.chunkOffset += count
            }
        }
        if data.chunks.isEmpty, let end = data.end {
            switch end {
            case .endStream:
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            case .trailers(let trailers):
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                let rc = Self.withNameValues(trailers) { nva in
                    nghttp2_submit_trailer(session, streamID, nva.baseAddress, nva.count)
                }
                if rc != 0 {
                    outbound[streamID] = data
                    return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
                }
            }
            outbound[streamID] = nil
            return written
        }
        if written == 0 {
            data.deferred = true
            outbound[streamID] = data
            return Int(NGHTTP2_ERR_DEFERRED.rawValue)
        }
        outbound[streamID] = data
        return written
    }

    // MARK: Unsafe helpers

    /// Calls `body` with nghttp2 name/value pairs pointing into one temporary buffer. nghttp2 copies
    /// the pairs during the submit call, so the buffer only needs to live for the call.
    private static func withNameValues<R>(_ headers: [HeaderField], _ body: (UnsafeBufferPointer<nghttp2_nv>) -> R) -> R
    {
        // Both buffers are temporary allocations (on the stack for the usual few hundred bytes):
        // a header block costs no heap allocation to submit.
        let byteCount = headers.reduce(1) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: byteCount) { bytes in
            withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: Swift.max(headers.count, 1)) { pairs in
                // SAFETY: `bytes` has room for every name and value (byteCount counts them all) and
                // `pairs` for one entry per field; both outlive `body`. nghttp2 reads the pointers
                // during the submit call and does not keep them (no NO_COPY flags are set).
                var offset = 0
                func copy(_ text: String) -> (UnsafeMutablePointer<UInt8>, Int) {
                    let region = UnsafeMutableBufferPointer(rebasing: bytes[offset...])
                    let (_, written) = region.initialize(from: text.utf8)
                    offset += written
                    return (region.baseAddress!, written)
                }
                for (index, field) in headers.enumerated() {
                    let (name, nameLength) = copy(field.name)
                    let (value, valueLength) = copy(field.value)
                    pairs.initializeElement(
                        at: index,
                        to: nghttp2_nv(
                            name: name,
                            value: value,
                            namelen: nameLength,
                            valuelen: valueLength,
                            flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
                        )
                    )
                }
                return body(UnsafeBufferPointer(rebasing: pairs[..<headers.count]))
            }
        }
    }

    private static func dataProvider() -> nghttp2_data_provider {
        nghttp2_data_provider(
            source: nghttp2_data_source(ptr: nil),
            read_callback: { session, streamID, buffer, length, flags, _, userData in
                guard let userData, let buffer, let flags else {
                    return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
                }
                // SAFETY: see init — user_data is the live owner of this session.
                let owner = Unmanaged<NGHTTP2Session>.fromOpaque(userData).takeUnretainedValue()
                return owner.readData(
                    streamID: streamID,
                    into: UnsafeMutableRawBufferPointer(start: buffer, count: length),
                    flags: flags
                )
            }
        )
    }

    /// Recovers the session owner from user_data inside a callback.
    private static func owner(_ userData: UnsafeMutableRawPointer?) -> NGHTTP2Session? {
        guard let userData else { return nil }
        // SAFETY: see init — user_data is the live owner of this session.
        return Unmanaged<NGHTTP2Session>.fromOpaque(userData).takeUnretainedValue()
    }

    private static func install(_ callbacks: OpaquePointer) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
            guard let frame, let owner = NGHTTP2Session.owner(userData) else { return 0 }
            owner.beginHeaders(streamID: cnghttp2_frame_stream_id(frame))
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) {
            _,
            frame,
            name,
            nameLength,
            value,
            valueLength,
            _,
            userData in
            guard let frame, let name, let value, let owner = NGHTTP2Session.owner(userData) else { return 0 }
            // SAFETY: nghttp2 passes valid name and value buffers of the given lengths for this call;
            // header(...) copies what it keeps before returning.
            owner.header(
                streamID: cnghttp2_frame_stream_id(frame),
                name: UnsafeBufferPointer(start: name, count: nameLength),
                value: UnsafeBufferPointer(start: value, count: valueLength)
            )
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
            guard let frame, let owner = NGHTTP2Session.owner(userData) else { return 0 }
            owner.frameReceived(
                type: cnghttp2_frame_type(frame),
                flags: cnghttp2_frame_flags(frame),
                streamID: cnghttp2_frame_stream_id(frame),
                frame: frame
            )
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, userData in
            guard let frame, let owner = NGHTTP2Session.owner(userData) else { return 0 }
            owner.frameSent(
                type: cnghttp2_frame_type(frame),
                flags: cnghttp2_frame_flags(frame),
                streamID: cnghttp2_frame_stream_id(frame)
            )
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
            guard let data, let owner = NGHTTP2Session.owner(userData) else { return 0 }
            // SAFETY: nghttp2 passes `length` valid bytes at `data` for the duration of the callback.
            owner.dataReceived(streamID: streamID, bytes: UnsafeBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
            guard let owner = NGHTTP2Session.owner(userData) else { return 0 }
            owner.streamClosed(streamID: streamID, errorCode: errorCode)
            return 0
        }
    }
}
