import FerryRPC

@testable import FerryHTTP2

/// libFuzzer entry point for ``GRPCMessageDeframer``, the reader of every gRPC request and response
/// body.
///
/// Input layout: byte 0 picks the message size limit (0–255, or the 4 MiB default when it is
/// 255); byte 1 picks the piece size (1–128) in which the rest is appended, as DATA frames would
/// carry it, and with its top bit the stream's encoding: identity, or gzip (compressed messages are
/// inflated through zlib). The rest is the body.
///
/// Properties checked: the same body read all at once and read in pieces yields the same messages
/// and the same failure (and, without one, the same bytes left over); no message, inflated or not,
/// exceeds the limit. With identity, every message (plus its 5-byte prefix) comes from the body, in
/// order, so the messages and the bytes left over add up to the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer guarantees `data` points to `size` readable bytes for the duration of
    // this call; they are copied into an array here and the pointer is not used afterwards.
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard input.count >= 2 else { return 0 }
    let limit = input[0] == 255 ? 4 << 20 : Int(input[0])
    let pieceSize = Int(input[1] & 0x7F) + 1
    let gzip = input[1] & 0x80 != 0
    let body = Array(input[2...])

    let whole = deframe([body], limit: limit, gzip: gzip)
    let pieces = stride(from: 0, to: body.count, by: pieceSize).map {
        Array(body[$0..<min($0 + pieceSize, body.count)])
    }
    let chunked = deframe(pieces, limit: limit, gzip: gzip)
    guard whole.messages == chunked.messages, whole.failure == chunked.failure,
        whole.failure != nil || whole.leftover == chunked.leftover
    else {
        fatalError("piece size \(pieceSize) changed the result: \(whole) vs \(chunked)")
    }
    for message in whole.messages where message.count > limit {
        fatalError("a \(message.count)-byte message passed the limit \(limit)")
    }
    if gzip { return 0 }
    var consumed = 0
    for message in whole.messages {
        guard Array(body[consumed + 5..<consumed + 5 + message.count]) == message else {
            fatalError("message at offset \(consumed) is not the body's bytes")
        }
        consumed += 5 + message.count
    }
    if whole.failure == nil, consumed + whole.leftover != body.count {
        fatalError("messages (\(consumed) bytes) and leftover (\(whole.leftover)) do not add up to \(body.count)")
    }
    return 0
}

/// Appends each piece and takes every complete message after it, as the stream state machines do.
private func deframe(
    _ pieces: [[UInt8]],
    limit: Int,
    gzip: Bool
) -> (messages: [[UInt8]], failure: GRPCMessageDeframer.Failure?, leftover: Int) {
    let encoding: GRPCMessageDeframer.Encoding =
        gzip ? MessageDecompressor(.gzip).map { .compressed($0) } ?? .identity : .identity
    var deframer = GRPCMessageDeframer(maxMessageBytes: limit, encoding: encoding)
    var messages: [[UInt8]] = []
    for piece in pieces {
        deframer.append(piece)
        do {
            while let message = try deframer.next() { messages.append(message) }
        } catch {
            return (messages, error, deframer.bufferedBytes)
        }
    }
    return (messages, nil, deframer.bufferedBytes)
}
