import Testing

@testable import FerryCodec

/// The standard library's validating initializer is the oracle for Ferry's UTF-8 check.
@Suite struct UTF8ValidationTests {
    private func agreesWithStandardLibrary(_ bytes: [UInt8]) -> Bool {
        let expected = String(validating: bytes, as: UTF8.self) != nil
        let actual = bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
        return expected == actual
    }

    @Test("every one- and two-byte sequence is judged as the standard library judges it")
    func shortSequences() {
        var mismatches: [[UInt8]] = []
        for a in 0...255 {
            if !agreesWithStandardLibrary([UInt8(a)]) { mismatches.append([UInt8(a)]) }
            for b in 0...255 where !agreesWithStandardLibrary([UInt8(a), UInt8(b)]) {
                mismatches.append([UInt8(a), UInt8(b)])
            }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test("three-byte sequences: every non-ASCII lead and second byte, third bytes at the class edges")
    func threeByteSequences() {
        var mismatches = 0
        for a in 0x80...0xFF {
            for b in 0...255 {
                for c in [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
                where !agreesWithStandardLibrary([UInt8(a), UInt8(b), UInt8(c)]) {
                    mismatches += 1
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("four-byte leads with every second byte, and sequences cut or placed after ASCII runs")
    func fourByteAndPositions() {
        var cases: [[UInt8]] = []
        for lead in 0xF0...0xFF {
            for second in 0...255 {
                cases.append([UInt8(lead), UInt8(second), 0x80, 0x80])
                cases.append([UInt8(lead), UInt8(second), 0x80, 0x41])
                cases.append([UInt8(lead), UInt8(second), 0x80])
            }
        }
        let samples: [[UInt8]] = [
            Array("naïve café".utf8), Array("東京 🎉 Ελλάδα".utf8),
            [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF],
        ]
        for sample in samples {
            for prefix in 0...17 {
                let ascii = [UInt8](repeating: 0x61, count: prefix)
                cases.append(ascii + sample)
                cases.append(ascii + sample + ascii)
                cases.append(ascii + sample.dropLast())
            }
        }
        let mismatches = cases.filter { !agreesWithStandardLibrary($0) }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    /// Reads field 1 of `bytes` as a string.
    private func readStringField(_ bytes: [UInt8]) throws(DecodingError) -> String? {
        var result: Result<String?, DecodingError> = .success(nil)
        bytes.withUnsafeBytes { buffer in
            var reader = WireReader(buffer, options: DecodingOptions())
            result = Result { () throws(DecodingError) -> String? in
                guard let tag = try reader.nextTag() else { return nil }
                return try reader.readString(tag)
            }
        }
        return try result.get()
    }

    @Test("a string field with valid UTF-8 decodes; one with invalid UTF-8 throws invalidUTF8")
    func decodingStringField() throws {
        let text = "é€ 🎉"
        let valid: [UInt8] = [0x0A, UInt8(text.utf8.count)] + Array(text.utf8)
        #expect(try readStringField(valid) == text)
        do {
            _ = try readStringField([0x0A, 0x02, 0xC3, 0x28])
            Issue.record("invalid UTF-8 decoded")
        } catch {
            #expect(error.code == .invalidUTF8)
        }
    }

    @Test(
        """
        string fields of every two-byte and edge three-byte content decode \
        exactly when the standard library validates them
        """
    )
    func stringFieldsAgreeWithStandardLibrary() throws {
        var mismatches: [[UInt8]] = []
        var contents: [[UInt8]] = []
        for a in 0...255 {
            for b in 0...255 { contents.append([UInt8(a), UInt8(b)]) }
        }
        for lead in [0xE0, 0xED, 0xEF, 0xF0, 0xF4] {
            for second in 0...255 { contents.append([UInt8(lead), UInt8(second), 0x80, 0x80]) }
        }
        for content in contents {
            let expected = String(validating: content, as: UTF8.self)
            let actual = try? readStringField([0x0A, UInt8(content.count)] + content)
            if actual != expected { mismatches.append(content) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
}
