/// Reading the JSON forms of the well-known types (see ``JSONPrinter/printWellKnown(_:_:_:)``).
extension JSONParser {
    mutating func parseWellKnown(_ kind: WellKnownType, _ schema: MessageSchema) throws(JSONDecodingError) {
        switch kind {
        case .timestamp:
            let text = try scanner.readString()
            guard let (seconds, nanos) = WellKnownJSON.parseTimestamp(text) else {
                throw scanner.failure(
                    .invalidValue,
                    "\"\(text)\" is not an RFC 3339 time between years 0001 and 9999, in UTC (Z) or with an offset"
                )
            }
            writeSecondsAndNanos(seconds, nanos)
        case .duration:
            let text = try scanner.readString()
            guard let (seconds, nanos) = WellKnownJSON.parseDuration(text) else {
                throw scanner.failure(
                    .invalidValue,
                    "\"\(text)\" is not a duration such as \"1.5s\" within ±315576000000 seconds"
                )
            }
            writeSecondsAndNanos(seconds, nanos)
        case .fieldMask:
            let text = try scanner.readString()
            guard let paths = WellKnownJSON.parseFieldMask(text) else {
                throw scanner.failure(
                    .invalidValue,
                    "\"\(text)\" is not a field mask: paths in lowerCamelCase, separated by commas"
                )
            }
            for path in paths {
                writer.writeTag(1, .lengthDelimited)
                writer.writeString(path)
            }
        case .wrapper:
            guard let index = schema.fieldIndex(number: 1) else { return }
            try parseFieldValue(schema.fields[index])
        case .struct, .listValue:
            guard let index = schema.fieldIndex(number: 1) else { return }
            try parseFieldValue(schema.fields[index])
        case .value:
            try parseValue(schema)
        case .any:
            try parseAny(schema)
        }
    }

    private mutating func writeSecondsAndNanos(_ seconds: Int64, _ nanos: Int32) {
        if seconds != 0 {
            writer.writeTag(1, .varint)
            writer.writeVarint(UInt64(bitPattern: seconds))
        }
        if nanos != 0 {
            writer.writeTag(2, .varint)
            writer.writeVarint(UInt64(bitPattern: Int64(nanos)))
        }
    }

    /// A `google.protobuf.Value`: whatever JSON comes.
    private mutating func parseValue(_ schema: MessageSchema) throws(JSONDecodingError) {
        switch try scanner.peek() {
        case UInt8(ascii: "n"):
            try scanner.expectLiteral("null")
            writer.writeTag(1, .varint)
            writer.writeVarint(0)
        case UInt8(ascii: "\""):
            let text = try scanner.readString()
            writer.writeTag(3, .lengthDelimited)
            writer.writeString(text)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let value = try scanner.readBool()
            writer.writeTag(4, .varint)
            writer.writeVarint(value ? 1 : 0)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let number: Int32 = try scanner.peek() == UInt8(ascii: "{") ? 5 : 6
            guard let index = schema.fieldIndex(number: number), let nested = schema.fields[index].message else {
                return
            }
            writer.writeTag(number, .lengthDelimited)
            let mark = writer.beginLengthDelimited()
            try parseMessage(nested)
            writer.endLengthDelimited(mark)
        default:
            let token = try scanner.readNumberToken()
            guard let value = Double(token), value.isFinite else {
                throw scanner.failure(.invalidValue, "\(token) is too large for a Value's number")
            }
            writer.writeTag(2, .fixed64)
            writer.writeFixed64(value.bitPattern)
        }
    }

    /// A `google.protobuf.Any`: `{"@type": URL, ...fields}`, or `{"@type": URL, "value": JSON}`
    /// when the content is itself a well-known type. `@type` may come anywhere in the object, so
    /// the object is read twice: once to find it, once to read the content.
    private mutating func parseAny(_ schema: MessageSchema) throws(JSONDecodingError) {
        let objectStart = scanner.position
        if try scanner.beginObject() { return }
        var typeURL: String?
        repeat {
            let key = try scanner.readKey()
            if key == "@type" {
                guard typeURL == nil else {
                    throw scanner.failure(.duplicateField, "\"@type\" appears twice").inside(key)
                }
                typeURL = try scanner.readString()
            } else {
                try scanner.skipValue()
            }
        } while try scanner.nextMember()
        guard let typeURL else {
            throw scanner.failure(.invalidValue, "an Any with fields must name its type in \"@type\"")
        }
        guard let content = options.typeRegistry.schema(forTypeURL: typeURL) else {
            throw scanner.failure(.unknownAnyType, "\"\(typeURL)\" is not in the type registry").inside("@type")
        }
        let afterObject = scanner.position
        let depth = scanner.remainingDepth
        scanner.position = objectStart
        _ = try scanner.beginObject()

        writer.writeTag(1, .lengthDelimited)
        writer.writeString(typeURL)
        writer.writeTag(2, .lengthDelimited)
        let mark = writer.beginLengthDelimited()
        if content.wellKnown != nil {
            var sawValue = false
            repeat {
                let key = try scanner.readKey()
                switch key {
                case "@type": try scanner.skipValue()
                case "value":
                    guard !sawValue else {
                        throw scanner.failure(.duplicateField, "\"value\" appears twice").inside(key)
                    }
                    sawValue = true
                    do throws(JSONDecodingError) { try parseMessage(content) } catch { throw error.inside(key) }
                default:
                    if options.ignoreUnknownFields {
                        try scanner.skipValue()
                    } else {
                        throw scanner.failure(
                            .unknownField,
                            "an Any holding \(content.fullName) has only \"@type\" and \"value\""
                        ).inside(key)
                    }
                }
            } while try scanner.nextMember()
        } else {
            try parseMembers(content, skippingAnyType: true)
        }
        writer.endLengthDelimited(mark)
        // The second pass ended where the first did.
        scanner.position = afterObject
        scanner.remainingDepth = depth
    }
}

extension WellKnownJSON {
    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into seconds and nanos since the epoch.
    static func parseTimestamp(_ text: String) -> (Int64, Int32)? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + width] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += width
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("T"), let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var nanos: Int64 = 0
        if expect(".") {
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                guard digits < 9 else { return nil }
                nanos = nanos * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        if expect("Z") {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2), offsetHours < 24,
                offsetMinutes < 60
            else { return nil }
            offset = (offsetHours * 3600 + offsetMinutes * 60) * (negative ? -1 : 1)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds else { return nil }
        return (seconds, Int32(nanos))
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Reads `-?S(.fraction)?s` (protobuf's JSON form of Duration) into seconds and nanos of the
    /// same sign; the service config parser in FerryRPC reads its durations with it too.
    package static func parseDuration(_ text: String) -> (Int64, Int32)? {
        var body = Substring(text)
        guard body.hasSuffix("s") else { return nil }
        body.removeLast()
        let negative = body.hasPrefix("-")
        if negative { body.removeFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
            let seconds = Int64(whole), seconds <= maxDurationSeconds
        else { return nil }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy(\.isASCIIDigit),
                let value = Int64(fraction)
            else { return nil }
            nanos = value
            for _ in fraction.count..<9 { nanos *= 10 }
        }
        return negative ? (-seconds, Int32(-nanos)) : (seconds, Int32(nanos))
    }

    /// Reads comma-separated lowerCamelCase paths into snake_case paths.
    static func parseFieldMask(_ text: String) -> [String]? {
        guard !text.isEmpty else { return [] }
        var paths: [String] = []
        for path in text.split(separator: ",", omittingEmptySubsequences: false) {
            var snake: [UInt8] = []
            for byte in path.utf8 {
                if byte == UInt8(ascii: "_") { return nil }
                if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                    snake.append(UInt8(ascii: "_"))
                    snake.append(byte + 32)
                } else {
                    snake.append(byte)
                }
            }
            paths.append(String(decoding: snake, as: UTF8.self))
        }
        return paths
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
