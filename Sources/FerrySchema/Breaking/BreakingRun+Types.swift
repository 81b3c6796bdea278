import FerryCodec

/// The rules that compare enums and messages paired by full name.
extension BreakingRun {
    // MARK: Enums

    mutating func checkEnums() {
        for oldEnum in old.enums where old.isChecked(oldEnum) {
            guard let index = new.enumsByName[oldEnum.fullName], new.isChecked(new.enums[index]) else { continue }
            compareEnum(oldEnum, new.enums[index])
        }
    }

    private mutating func compareEnum(_ oldEnum: BreakingImage.Enum, _ newEnum: BreakingImage.Enum) {
        let o = oldEnum.descriptor
        let n = newEnum.descriptor
        let name = n.name ?? ""
        let fileIndex = newEnum.fileIndex
        let at = newEnum.sourcePath
        let oldSyntax = old.file(of: oldEnum).syntax
        let newSyntax = new.file(of: newEnum).syntax
        // Without editions, proto2 enums are closed and proto3 enums open; JSON is fully
        // supported (ALLOW) in proto3 only.
        if (oldSyntax == .proto2) != (newSyntax == .proto2) {
            let (before, after) = oldSyntax == .proto2 ? ("closed", "open") : ("open", "closed")
            report(
                .enumSameType,
                in: new,
                fileIndex: fileIndex,
                at: at,
                "Enum \"\(name)\" changed from \(before) to \(after)."
            )
        }
        if oldSyntax != .proto2 && newSyntax == .proto2 {
            report(
                .enumSameJSONFormat,
                in: new,
                fileIndex: fileIndex,
                at: at,
                "Enum \"\(name)\" JSON format support changed from ALLOW to LEGACY_BEST_EFFORT."
            )
        }
        let oldNames = Dictionary(grouping: o.value, by: { $0.number ?? 0 }).mapValues { Set($0.compactMap(\.name)) }
        let newNames = Dictionary(grouping: n.value, by: { $0.number ?? 0 }).mapValues { Set($0.compactMap(\.name)) }
        func numberReserved(_ number: Int32) -> Bool {
            n.reservedRange.contains { number >= ($0.start ?? 0) && number <= ($0.end ?? 0) }
        }
        for (number, names) in oldNames.sorted(by: { $0.key < $1.key }) {
            guard let current = newNames[number] else {
                let deleted = "Previously present enum value \"\(number)\" on enum \"\(name)\" was deleted"
                report(.enumValueNoDelete, in: new, fileIndex: fileIndex, at: at, deleted + ".")
                if !numberReserved(number) {
                    report(
                        .enumValueNoDeleteUnlessNumberReserved,
                        in: new,
                        fileIndex: fileIndex,
                        at: at,
                        deleted + " without reserving the number \"\(number)\"."
                    )
                }
                if !names.allSatisfy(n.reservedName.contains) {
                    report(
                        .enumValueNoDeleteUnlessNameReserved,
                        in: new,
                        fileIndex: fileIndex,
                        at: at,
                        deleted + " without reserving the name\(names.count > 1 ? "s" : "") \(Self.quoted(names))."
                    )
                }
                continue
            }
            // Every name the number had must still be there: JSON written with any of them must
            // still be read (adding an alias is safe).
            if !names.isSubset(of: current) {
                for _ in current {
                    report(
                        .enumValueSameName,
                        in: new,
                        fileIndex: fileIndex,
                        at: at,
                        """
                        Enum value "\(number)" on enum "\(name)" changed name from \(Self.quoted(names)) to \
                        \(Self.quoted(current)).
                        """
                    )
                }
            }
        }
        checkRanges(
            .reservedEnumNoDelete,
            "reserved",
            "enum",
            name,
            old: o.reservedRange.map { (Int64($0.start ?? 0), Int64($0.end ?? 0)) },
            new: n.reservedRange.map { (Int64($0.start ?? 0), Int64($0.end ?? 0)) },
            fileIndex: fileIndex,
            at: at
        )
        for reserved in o.reservedName where !n.reservedName.contains(reserved) {
            report(
                .reservedEnumNoDelete,
                in: new,
                fileIndex: fileIndex,
                at: at,
                "Previously present reserved name \"\(reserved)\" on enum \"\(name)\" was deleted."
            )
        }
    }

    static func quoted(_ names: Set<String>) -> String {
        names.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
    }

    // MARK: Messages

    mutating func checkMessages() {
        for oldMessage in old.messages where old.isChecked(oldMessage) {
            guard let index = new.messagesByName[oldMessage.fullName], new.isChecked(new.messages[index]) else {
                continue
            }
            compareMessage(oldMessage, new.messages[index])
        }
    }

    private mutating func compareMessage(_ oldMessage: BreakingImage.Message, _ newMessage: BreakingImage.Message) {
        let o = oldMessage.descriptor
        let n = newMessage.descriptor
        let name = n.name ?? ""
        let fileIndex = newMessage.fileIndex
        let at = newMessage.sourcePath
        let oldSyntax = old.file(of: oldMessage).syntax
        let newSyntax = new.file(of: newMessage).syntax
        if oldSyntax != .proto2 && newSyntax == .proto2 {
            report(
                .messageSameJSONFormat,
                in: new,
                fileIndex: fileIndex,
                at: at,
                "Message \"\(name)\" JSON format support changed from ALLOW to LEGACY_BEST_EFFORT."
            )
        }
        if o.options?.noStandardDescriptorAccessorOrDefault != true
            && n.options?.noStandardDescriptorAccessorOrDefault == true
        {
            report(
                .messageNoRemoveStandardDescriptorAccessor,
                in: new,
                fileIndex: fileIndex,
                at: at,
                "Message option \"no_standard_descriptor_accessor\" changed from \"false\" to \"true\"."
            )
        }
        // Message ranges are half-open in descriptors; compared inclusive, as enums' are.
        checkRanges(
            .extensionMessageNoDelete,
            "extension",
            "message",
            name,
            old: o.extensionRange.map { (Int64($0.start ?? 0), Int64($0.end ?? 0) - 1) },
            new: n.extensionRange.map { (Int64($0.start ?? 0), Int64($0.end ?? 0) - 1) },
            fileIndex: fileIndex,
            at: at
        )
        checkRanges(
            .reservedMessageNoDelete,
            "reserved",
            "message",
            name,
            old: o.reservedRange.map { (Int64($0.start ?? 0), Int64($0.end ?? 0) - 1) },
            new: n.reservedRange.map { (Int64($0.start ?? 0), Int64($0.end ?? 0) - 1) },
            fileIndex: fileIndex,
            at: at
        )
        for reserved in o.reservedName where !n.reservedName.contains(reserved) {
            report(
                .reservedMessageNoDelete,
                in: new,
                fileIndex: fileIndex,
                at: at,
                "Previously present reserved name \"\(reserved)\" on message \"\(name)\" was deleted."
            )
        }
        let newOneofs = Set(n.oneofDecl.compactMap(\.name))
        for (index, oneof) in o.oneofDecl.enumerated() where !newOneofs.contains(oneof.name ?? "") {
            let synthetic = o.field.contains { $0.oneofIndex == Int32(index) && $0.proto3Optional == true }
            if !synthetic {
                report(
                    .oneofNoDelete,
                    in: new,
                    fileIndex: fileIndex,
                    at: at,
                    "Previously present oneof \"\(oneof.name ?? "")\" on message \"\(name)\" was deleted."
                )
            }
        }
        let oldRequired = Set(o.field.filter { $0.label == .required }.compactMap(\.number))
        let newRequired = Set(n.field.filter { $0.label == .required }.compactMap(\.number))
        for number in oldRequired.subtracting(newRequired).sorted() {
            report(
                .messageSameRequiredFields,
                in: new,
                fileIndex: fileIndex,
                at: at,
                """
                Message "\(o.name ?? "")" had required field "\(number)" deleted; every reader or writer that does not \
                know this must still send or expect it.
                """
            )
        }
        for (index, field) in n.field.enumerated()
        where field.label == .required && !oldRequired.contains(field.number ?? 0) {
            report(
                .messageSameRequiredFields,
                in: new,
                fileIndex: fileIndex,
                at: at + [2, Int32(index)],
                """
                Message "\(name)" had required field "\(field.number ?? 0)" added; old writers do not send it, \
                so new readers reject their messages.
                """
            )
        }
        compareFields(of: oldMessage, newMessage)
    }

    private mutating func compareFields(of oldMessage: BreakingImage.Message, _ newMessage: BreakingImage.Message) {
        let o = oldMessage.descriptor
        let n = newMessage.descriptor
        let name = n.name ?? ""
        var newByNumber: [Int32: Int] = [:]
        for (index, field) in n.field.enumerated() { newByNumber[field.number ?? 0] = index }
        let oldFile = old.file(of: oldMessage)
        let newFile = new.file(of: newMessage)
        for (oldIndex, oldField) in o.field.enumerated() {
            let number = oldField.number ?? 0
            guard let newIndex = newByNumber[number] else {
                let fieldName = oldField.name ?? ""
                let deleted =
                    """
                    Previously present field "\(number)" with name "\(fieldName)" on message "\(name)" was deleted
                    """
                let at = newMessage.sourcePath
                report(.fieldNoDelete, in: new, fileIndex: newMessage.fileIndex, at: at, deleted + ".")
                let numberReserved = n.reservedRange.contains { number >= ($0.start ?? 0) && number < ($0.end ?? 0) }
                if !numberReserved {
                    report(
                        .fieldNoDeleteUnlessNumberReserved,
                        in: new,
                        fileIndex: newMessage.fileIndex,
                        at: at,
                        deleted + " without reserving the number \"\(number)\"."
                    )
                }
                if !n.reservedName.contains(fieldName) {
                    report(
                        .fieldNoDeleteUnlessNameReserved,
                        in: new,
                        fileIndex: newMessage.fileIndex,
                        at: at,
                        deleted + " without reserving the name \"\(fieldName)\"."
                    )
                }
                continue
            }
            let before = BreakingField(
                oldField,
                in: old,
                file: oldFile,
                parent: oldMessage,
                extensionFullName: nil,
                sourcePath: oldMessage.sourcePath + [2, Int32(oldIndex)]
            )
            let after = BreakingField(
                n.field[newIndex],
                in: new,
                file: newFile,
                parent: newMessage,
                extensionFullName: nil,
                sourcePath: newMessage.sourcePath + [2, Int32(newIndex)]
            )
            compareField(before, after, fileIndex: newMessage.fileIndex)
            let oldOneof = before.oneofName(in: o)
            let newOneof = after.oneofName(in: n)
            if oldOneof != newOneof {
                let change =
                    switch (oldOneof, newOneof) {
                    case (let from?, let to?): "moved from oneof \"\(from)\" to oneof \"\(to)\""
                    case (nil, _): "moved from outside to inside a oneof"
                    case (_, nil): "moved from inside to outside a oneof"
                    }
                report(
                    .fieldSameOneof,
                    in: new,
                    fileIndex: newMessage.fileIndex,
                    at: after.sourcePath,
                    "\(after.subject) \(change)."
                )
            }
        }
    }

    // MARK: Ranges

    /// Reports each old range (inclusive bounds) that the new ranges no longer cover completely.
    mutating func checkRanges(
        _ rule: BreakingRule,
        _ kind: String,
        _ elementKind: String,
        _ name: String,
        old oldRanges: [(Int64, Int64)],
        new newRanges: [(Int64, Int64)],
        fileIndex: Int,
        at: [Int32]
    ) {
        guard !oldRanges.isEmpty, applies(rule) else { return }
        // Merge overlapping and adjacent new ranges, then look for the gaps of each old one.
        var merged: [(Int64, Int64)] = []
        for range in newRanges.sorted(by: { $0 < $1 }) {
            if let last = merged.last, range.0 <= last.1 + 1 {
                merged[merged.count - 1].1 = max(last.1, range.1)
            } else {
                merged.append(range)
            }
        }
        for (start, end) in oldRanges {
            var missing: [(Int64, Int64)] = []
            var next = start
            for range in merged where range.1 >= next && range.0 <= end {
                if range.0 > next { missing.append((next, range.0 - 1)) }
                next = range.1 + 1
                if next > end { break }
            }
            if next <= end { missing.append((next, end)) }
            guard !missing.isEmpty else { continue }
            let removed = missing.map { $0.0 == $0.1 ? "[\($0.0)]" : "[\($0.0),\($0.1)]" }.joined(separator: ", ")
            report(
                rule,
                in: new,
                fileIndex: fileIndex,
                at: at,
                """
                Previously present \(kind) range "[\(start),\(end)]" on \(elementKind) "\(name)" is missing values: \
                \(removed) were removed.
                """
            )
        }
    }
}
