import FerryCodec

/// protoc's "Suggested field numbers for M: 1, 2" hint after field-number errors.
extension FileLinker {
    mutating func requestHint(_ message: String, at path: [Int32]) {
        if var hint = numberHints[message] {
            hint.count += 1
            numberHints[message] = hint
        } else {
            numberHints[message] = (1, path)
        }
    }

    /// Suggests the lowest free numbers (at most three) for top-level messages that had
    /// field-number errors, as protoc does.
    mutating func suggestFieldNumbers() {
        for message in file.messageType {
            let name = qualify(package, message.name ?? "")
            guard let hint = numberHints[name] else { continue }
            var toSuggest = min(3, hint.count)
            var used: [(from: Int64, to: Int64)] = []
            let maxNumber = Int64(FieldNumbers.max)
            func addNumber(_ number: Int32?) {
                let number = Int64(number ?? 0)
                guard number > 0, number <= maxNumber else { return }
                if let last = used.last, last.to == number {
                    used[used.count - 1].to = number + 1
                } else {
                    used.append((number, number + 1))
                }
            }
            func addRange(_ start: Int32?, _ end: Int32?) {
                let from = max(0, min(maxNumber + 1, Int64(start ?? 0)))
                let to = max(0, min(maxNumber + 1, Int64(end ?? 0)))
                if from < to { used.append((from, to)) }
            }
            for field in message.field { addNumber(field.number) }
            for field in message.extension { addNumber(field.number) }
            for range in message.reservedRange { addRange(range.start, range.end) }
            for range in message.extensionRange { addRange(range.start, range.end) }
            used.append((maxNumber, Int64(Int32.max)))
            used.append(
                (
                    Int64(FieldNumbers.reservedForImplementation.lowerBound),
                    Int64(FieldNumbers.reservedForImplementation.upperBound)
                )
            )
            used.sort { ($0.from, $0.to) < ($1.from, $1.to) }
            var current: Int64 = 1
            var suggestions: [String] = []
            for range in used {
                while toSuggest > 0 && current < range.from {
                    suggestions.append(String(current))
                    current += 1
                    toSuggest -= 1
                }
                if toSuggest == 0 { break }
                current = max(current, range.to)
            }
            error("Suggested field numbers for \(name): " + suggestions.joined(separator: ", "), at: hint.path)
        }
    }
}
