import FerryCodec
import Foundation
import Testing

@testable import FerrySchema

/// One broken schema and the diagnostics it must produce, rendered `file:line:col: error: msg`.
struct DiagnosticCase: Sendable, CustomStringConvertible {
    var name: String
    var main: String
    var files: [String: String]
    var expected: [String]
    /// Why Ferry deliberately differs from protoc's output for this case, if it does.
    var deviation: String?

    init(_ name: String, main: String, files: [String: String], expected: [String], deviation: String? = nil) {
        self.name = name
        self.main = main
        self.files = files
        self.expected = expected
        self.deviation = deviation
    }

    var description: String { name }

    /// Writes the files to a fresh directory and returns it.
    func materialize() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-diag-\(name)-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (file, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(file))
        }
        return directory.path
    }
}

/// Every check of the linker and option interpreter, each on a minimal broken file, against
/// the exact text protoc 3.21.12 prints (protoc omits the word "error:", which Ferry's
/// renderer adds; the literal expectations were taken from protoc and are re-checked against
/// it below).
@Suite struct LinkerDiagnosticsTests {
    static let cases: [DiagnosticCase] = [
        DiagnosticCase(
            "undefined_type",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\npackage p;\nmessage A {\n  optional Foo f = 1;\n}\n"],
            expected: ["a.proto:4:12: error: \"Foo\" is not defined."]
        ),
        DiagnosticCase(
            "resolved_but_undefined",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nmessage B { message C {} }\nmessage A \
                {\n  message B {}\n  optional B.C f = 1;\n}\n
                """
            ],
            expected: [
                """
                a.proto:6:12: error: \"B.C\" is resolved to \"p.A.B.C\", which is not defined. The \
                innermost scope is searched first in name resolution. Consider using a leading \
                '.'(i.e., \".B.C\") to start from the outermost scope.
                """
            ]
        ),
        DiagnosticCase(
            "not_imported",
            main: "b.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\npackage p;\nmessage M {}\n",
                "c.proto": "syntax = \"proto2\";\nimport \"a.proto\";\n",
                "b.proto":
                    "syntax = \"proto2\";\npackage p;\nimport \"c.proto\";\nmessage N {\n  optional M m = 1;\n}\n",
            ],
            expected: [
                """
                b.proto:5:12: error: \"p.M\" seems to be defined in \"a.proto\", which is not imported \
                by \"b.proto\".  To use it here, please add the necessary import.
                """
            ]
        ),
        DiagnosticCase(
            "duplicate_message",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\npackage p;\nmessage A {}\nmessage A {}\n"],
            expected: ["a.proto:4:9: error: \"A\" is already defined in \"p\"."]
        ),
        DiagnosticCase(
            "duplicate_across_files",
            main: "b.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\npackage p;\nmessage M {}\n",
                "b.proto": "syntax = \"proto2\";\npackage p;\nimport \"a.proto\";\nmessage M {}\n",
            ],
            expected: ["b.proto:4:9: error: \"p.M\" is already defined in file \"a.proto\"."]
        ),
        DiagnosticCase(
            "duplicate_field_number",
            main: "a.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\nmessage A {\n  optional int32 x = 1;\n  optional int32 y = 1;\n}\n"
            ],
            expected: ["a.proto:4:22: error: Field number 1 has already been used in \"A\" by field \"x\"."]
        ),
        DiagnosticCase(
            "reserved_number",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage A {\n  reserved 5 to 10;\n  optional int32 x = 6;\n}\n"],
            expected: [
                "a.proto:4:22: error: Field \"x\" uses reserved number 6.",
                "a.proto:4:22: error: Suggested field numbers for A: 1",
            ],
            deviation: "protoc loses the position of this error and prints only the file name"
        ),
        DiagnosticCase(
            "reserved_name",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage A {\n  reserved \"x\";\n  optional int32 x = 1;\n}\n"],
            expected: ["a.proto:4:18: error: Field name \"x\" is reserved."]
        ),
        DiagnosticCase(
            "extension_out_of_range",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\nmessage A {\n  extensions 100 to \
                199;\n}\nextend A {\n  optional int32 e = 5;\n}\n
                """
            ],
            expected: ["a.proto:6:22: error: \"A\" does not declare 5 as an extension number."]
        ),
        DiagnosticCase(
            "map_key_float",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nmessage A {\n  map<float, string> m = 1;\n}\n"],
            expected: ["a.proto:3:3: error: Key in map fields cannot be float/double, bytes or message types."]
        ),
        DiagnosticCase(
            "proto3_required",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nmessage A {\n  required int32 x = 1;\n}\n"],
            expected: ["a.proto:3:12: error: Required fields are not allowed in proto3."]
        ),
        DiagnosticCase(
            "proto3_default",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nmessage A {\n  int32 x = 1 [default = 5];\n}\n"],
            expected: ["a.proto:3:26: error: Explicit default values are not allowed in proto3."]
        ),
        DiagnosticCase(
            "proto3_enum_zero",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nenum E {\n  A = 1;\n}\n"],
            expected: ["a.proto:3:7: error: The first enum value must be zero in proto3."]
        ),
        DiagnosticCase(
            "proto3_extension_range",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nmessage A {\n  extensions 100 to 199;\n}\n"],
            expected: ["a.proto:3:14: error: Extension ranges are not allowed in proto3."]
        ),
        DiagnosticCase(
            "proto3_extend_non_option",
            main: "b.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\nmessage A {\n  extensions 100 to 199;\n}\n",
                "b.proto": "syntax = \"proto3\";\nimport \"a.proto\";\nextend A {\n  int32 e = 100;\n}\n",
            ],
            expected: ["b.proto:3:8: error: Extensions in proto3 are only allowed for defining options."]
        ),
        DiagnosticCase(
            "proto3_uses_proto2_enum",
            main: "b.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\nenum E {\n  A = 0;\n}\n",
                "b.proto": "syntax = \"proto3\";\nimport \"a.proto\";\nmessage M {\n  E e = 1;\n}\n",
            ],
            expected: [
                """
                b.proto:4:3: error: Enum type \"E\" is not a proto3 enum, but is \
                used in \"M\" which is a proto3 message type.
                """
            ]
        ),
        DiagnosticCase(
            "enum_duplicate_value",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nenum E {\n  A = 0;\n  B = 0;\n}\n"],
            expected: [
                """
                a.proto:4:7: error: \"B\" uses the same enum value as \"A\". If this is intended, \
                set 'option allow_alias = true;' to the enum definition.
                """
            ]
        ),
        DiagnosticCase(
            "allow_alias_unused",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\nenum E {\n  option allow_alias = true;\n \
                 A = 0;\n  B = 1;\n}\nmessage M {}\n
                """
            ],
            expected: [
                """
                a.proto:2:6: error: \"E\" declares support for enum aliases but no enum values share field \
                numbers. Please remove the unnecessary 'option allow_alias = true;' declaration.
                """
            ],
            deviation: "protoc reports this at the start of the next declaration; Ferry reports it at the enum's name"
        ),
        DiagnosticCase(
            "field_number_zero",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage A {\n  optional int32 x = 0;\n}\n"],
            expected: [
                "a.proto:3:22: error: Field numbers must be positive integers.",
                "a.proto:3:22: error: Suggested field numbers for A: 1",
            ]
        ),
        DiagnosticCase(
            "field_number_too_large",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage A {\n  optional int32 x = 536870912;\n}\n"],
            expected: [
                "a.proto:3:22: error: Field numbers cannot be greater than 536870911.",
                "a.proto:3:22: error: Suggested field numbers for A: 1",
            ]
        ),
        DiagnosticCase(
            "field_number_reserved_range",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage A {\n  optional int32 x = 19500;\n}\n"],
            expected: [
                """
                a.proto:3:22: error: Field numbers 19000 through 19999 are reserved \
                for the protocol buffer library implementation.
                """,
                "a.proto:3:22: error: Suggested field numbers for A: 1",
            ]
        ),
        DiagnosticCase(
            "extend_enum",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nenum E {\n  A = 0;\n}\nextend E {\n  optional int32 x = 1;\n}\n"],
            expected: ["a.proto:5:8: error: \"E\" is not a message type."]
        ),
        DiagnosticCase(
            "rpc_input_enum",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto3\";\nenum E {\n  A = 0;\n}\nmessage M \
                {}\nservice S {\n  rpc R(E) returns (M);\n}\n
                """
            ],
            expected: ["a.proto:7:9: error: \"E\" is not a message type."]
        ),
        DiagnosticCase(
            "field_type_service",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nservice S {}\nmessage M {\n  S s = 1;\n}\n"],
            expected: ["a.proto:4:3: error: \"S\" is not a type."]
        ),
        DiagnosticCase(
            "enum_default_unknown",
            main: "a.proto",
            files: [
                "a.proto":
                    "syntax = \"proto2\";\nenum E {\n  A = 0;\n}\nmessage M {\n  optional E e = 1 [default = B];\n}\n"
            ],
            expected: ["a.proto:6:31: error: Enum type \"E\" has no value named \"B\"."]
        ),
        DiagnosticCase(
            "json_name_conflict",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nmessage M {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n"],
            expected: [
                """
                a.proto:4:9: error: The JSON camel-case name of field \"fooBar\" conflicts \
                with field \"foo_bar\". This is not allowed in proto3.
                """
            ]
        ),
        DiagnosticCase(
            "enum_value_scope_conflict",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\npackage p;\nenum E {\n  A = 0;\n}\nenum F {\n  A = 0;\n}\n"],
            expected: [
                "a.proto:7:3: error: \"A\" is already defined in \"p\".",
                """
                a.proto:7:3: error: Note that enum values use C++ scoping rules, meaning that \
                enum values are siblings of their type, not children of it.  Therefore, \"A\" \
                must be unique within \"p\", not just within \"F\".
                """,
            ]
        ),
        DiagnosticCase(
            "unknown_option",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\noption foo_bar = true;\n"],
            expected: [
                """
                a.proto:2:8: error: Option \"foo_bar\" unknown. Ensure that your proto \
                definition file imports the proto which defines the option.
                """
            ]
        ),
        DiagnosticCase(
            "unknown_custom_option",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage M {\n  option (nope) = 1;\n}\n"],
            expected: [
                """
                a.proto:3:10: error: Option \"(nope)\" unknown. Ensure that your proto \
                definition file imports the proto which defines the option.
                """
            ]
        ),
        DiagnosticCase(
            "option_wrong_type",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\noption java_package = 5;\n"],
            expected: [
                """
                a.proto:2:23: error: Value must be quoted string for string option \
                \"google.protobuf.FileOptions.java_package\".
                """
            ]
        ),
        DiagnosticCase(
            "option_bad_enum",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\noption optimize_for = FAST;\n"],
            expected: [
                """
                a.proto:2:23: error: Enum type \"google.protobuf.FileOptions.OptimizeMode\" has no value \
                named \"FAST\" for option \"google.protobuf.FileOptions.optimize_for\".
                """
            ]
        ),
        DiagnosticCase(
            "option_already_set",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\noption java_package = \"a\";\noption java_package = \"b\";\n"],
            expected: ["a.proto:3:8: error: Option \"java_package\" was already set."]
        ),
        DiagnosticCase(
            "custom_option_out_of_range",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nextend \
                google.protobuf.FileOptions {\n  optional int32 level = 50000;\n}\noption (level) = \
                3000000000;\n
                """
            ],
            expected: ["a.proto:6:18: error: Value out of range for int32 option \"level\"."]
        ),
        DiagnosticCase(
            "custom_option_aggregate_unknown_field",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nmessage O \
                {\n  optional int32 a = 1;\n}\nextend google.protobuf.FileOptions {\n  optional \
                O o = 50000;\n}\noption (o) = { b: 1 };\n
                """
            ],
            expected: [
                """
                a.proto:9:14: error: Error while parsing option value for \"o\": \
                Message type \"O\" has no field named \"b\".
                """
            ]
        ),
        DiagnosticCase(
            "packed_non_repeated",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage M {\n  optional int32 x = 1 [packed = true];\n}\n"],
            expected: ["a.proto:3:12: error: [packed = true] can only be specified for repeated primitive fields."]
        ),
        DiagnosticCase(
            "import_cycle",
            main: "a.proto",
            files: [
                "a.proto": "syntax = \"proto3\";\nimport \"b.proto\";\n",
                "b.proto": "syntax = \"proto3\";\nimport \"a.proto\";\n",
            ],
            expected: [
                "a.proto:2:1: error: File recursively imports itself: a.proto -> b.proto -> a.proto",
                "b.proto:2:1: error: Import \"a.proto\" was not found or had errors.",
                "a.proto:2:1: error: Import \"b.proto\" was not found or had errors.",
            ]
        ),
        DiagnosticCase(
            "missing_import",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\n\nimport \"nope.proto\";\n"],
            expected: [
                "error: nope.proto: File not found.",
                "a.proto:3:1: error: Import \"nope.proto\" was not found or had errors.",
            ]
        ),
        DiagnosticCase(
            "extension_range_includes_field",
            main: "a.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\nmessage M {\n  optional int32 x = 150;\n  extensions 100 to 199;\n}\n"
            ],
            expected: [
                "a.proto:4:14: error: Extension range 100 to 199 includes field \"x\" (150).",
                "a.proto:4:14: error: Suggested field numbers for M: 1",
            ]
        ),
        DiagnosticCase(
            "not_a_type",
            main: "a.proto",
            files: [
                "a.proto":
                    "syntax = \"proto2\";\npackage p;\nmessage M {\n  optional int32 x = 1;\n  optional x y = 2;\n}\n"
            ],
            expected: ["a.proto:5:12: error: \"x\" is not defined."]
        ),
        DiagnosticCase(
            "lite_import",
            main: "b.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\noption optimize_for = LITE_RUNTIME;\n",
                "b.proto": "syntax = \"proto2\";\nimport \"a.proto\";\n",
            ],
            expected: [
                """
                b.proto:2:1: error: Files that do not use optimize_for = LITE_RUNTIME cannot import files which do \
                use this option.  This file is not lite, but it imports \"a.proto\" which is.
                """
            ]
        ),
        DiagnosticCase(
            "enum_reserved_number",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nenum E {\n  reserved 3;\n  A = 0;\n  B = 3;\n}\n"],
            expected: ["a.proto:3:12: error: Enum value \"B\" uses reserved number 3."],
            deviation: "protoc loses the position of this error and prints only the file name"
        ),
        DiagnosticCase(
            "message_default",
            main: "a.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\nmessage N {}\nmessage M {\n  optional N n = 1 [default = 1];\n}\n"
            ],
            expected: ["a.proto:4:31: error: Expected enum identifier for field default value, found \"1\"."],
            deviation:
                """
                protoc's parser accepts any token as the default of a not-yet-resolved type and the linker then \
                says \"Messages can't have default values.\"; Ferry's parser rejects the number earlier
                """
        ),
        DiagnosticCase(
            "map_key_enum",
            main: "a.proto",
            files: [
                "a.proto": "syntax = \"proto3\";\nenum E {\n  A = 0;\n}\nmessage M {\n  map<E, string> m = 1;\n}\n"
            ],
            expected: ["a.proto:6:3: error: Key in map fields cannot be enum types."]
        ),
        DiagnosticCase(
            "extension_number_used",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\nmessage A {\n  extensions 100 to 199;\n}\nextend A {\n  \
                optional int32 x = 100;\n  optional int32 y = 100;\n}\n
                """
            ],
            expected: ["a.proto:7:22: error: Extension number 100 has already been used in \"A\" by extension \"x\"."]
        ),
        DiagnosticCase(
            "unused_import",
            main: "f.proto",
            files: [
                "b.proto": "syntax = \"proto3\";\nmessage B {}\n", "c.proto": "syntax = \"proto3\";\nmessage C {}\n",
                "d.proto": "syntax = \"proto3\";\nimport public \"c.proto\";\nmessage D {}\n",
                "f.proto": "syntax = \"proto3\";\nimport \"d.proto\";\nimport \"b.proto\";\nmessage F { }\n",
            ],
            expected: ["f.proto:3:1: warning: Import b.proto is unused."]
        ),
        DiagnosticCase(
            "unused_imports_two",
            main: "i.proto",
            files: [
                "b.proto": "syntax = \"proto3\";\nmessage B {}\n", "c.proto": "syntax = \"proto3\";\nmessage C {}\n",
                "i.proto": "syntax = \"proto3\";\nimport \"c.proto\";\nimport \"b.proto\";\nmessage F { }\n",
            ],
            expected: [
                "i.proto:3:1: warning: Import b.proto is unused.", "i.proto:2:1: warning: Import c.proto is unused.",
            ]
        ),
        DiagnosticCase(
            "unused_weak_but_not_public_import",
            main: "j.proto",
            files: [
                "b.proto": "syntax = \"proto3\";\nmessage B {}\n", "c.proto": "syntax = \"proto3\";\nmessage C {}\n",
                "j.proto":
                    "syntax = \"proto3\";\nimport public \"b.proto\";\nimport weak \"c.proto\";\nmessage J { }\n",
            ],
            expected: ["j.proto:3:1: warning: Import c.proto is unused."]
        ),
        DiagnosticCase(
            "used_through_public_import",
            main: "e.proto",
            files: [
                "b.proto": "syntax = \"proto3\";\nmessage B {}\n", "c.proto": "syntax = \"proto3\";\nmessage C {}\n",
                "d.proto": "syntax = \"proto3\";\nimport public \"c.proto\";\nmessage D {}\n",
                "e.proto": "syntax = \"proto3\";\nimport \"d.proto\";\nmessage E { C c = 1; }\n",
            ],
            expected: []
        ),
        DiagnosticCase(
            "option_float_identifier",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O \
                { optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; \
                }\nextend google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; \
                optional uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 \
                i = 50005; }\noption (fl) = inf;\n
                """
            ],
            expected: ["a.proto:8:15: error: Value must be number for float option \"p.fl\"."]
        ),
        DiagnosticCase(
            "option_atomic_subfield",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O \
                { optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; \
                }\nextend google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; \
                optional uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 \
                i = 50005; }\noption (i).x = 1;\n
                """
            ],
            expected: ["a.proto:8:8: error: Option \"(i)\" is an atomic type, not a message."]
        ),
        DiagnosticCase(
            "option_repeated_message_path",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O \
                { optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; \
                }\nextend google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; \
                optional uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 \
                i = 50005; }\noption (o).r.a = 1;\n
                """
            ],
            expected: [
                """
                a.proto:8:8: error: Option field \"(o).r\" is a repeated message. Repeated \
                message options must be initialized using an aggregate value.
                """
            ]
        ),
        DiagnosticCase(
            "option_message_needs_aggregate",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O \
                { optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; \
                }\nextend google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; \
                optional uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 \
                i = 50005; }\noption (o) = 1;\n
                """
            ],
            expected: [
                """
                a.proto:8:14: error: Option \"p.o\" is a message. To set the entire message, use syntax like \"o = \
                { <proto text format> }\". To set fields within it, use syntax like \"o.foo = value\".
                """
            ]
        ),
        DiagnosticCase(
            "option_not_extension_of",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O { \
                optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; }\nextend \
                google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; optional \
                uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 i = 50005; \
                }\nmessage M {\n  option (i) = 1;\n}\n
                """
            ],
            expected: [
                "a.proto:9:10: error: Option field \"(i)\" is not a field or extension of message \"MessageOptions\"."
            ]
        ),
        DiagnosticCase(
            "option_sibling_enum_value",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O \
                { optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; \
                }\nextend google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; \
                optional uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 \
                i = 50005; }\noption (e) = F1;\n
                """
            ],
            expected: [
                """
                a.proto:8:14: error: Enum type \"p.E\" has no value named \"F1\" for option \
                \"p.e\". This appears to be a value from a sibling type.
                """
            ]
        ),
        DiagnosticCase(
            "option_reserved_name",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O { \
                optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; }\nextend \
                google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; optional \
                uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 i = 50005; \
                }\noption uninterpreted_option = 1;\n
                """
            ],
            expected: ["a.proto:8:8: error: Option must not use reserved name \"uninterpreted_option\"."]
        ),
        DiagnosticCase(
            "option_bool_value",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O \
                { optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; \
                }\nextend google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; \
                optional uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 \
                i = 50005; }\noption (b) = yes;\n
                """
            ],
            expected: ["a.proto:8:14: error: Value must be \"true\" or \"false\" for boolean option \"p.b\"."]
        ),
        DiagnosticCase(
            "option_uint_negative",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O \
                { optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; \
                }\nextend google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; \
                optional uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 \
                i = 50005; }\noption (u) = -1;\n
                """
            ],
            expected: ["a.proto:8:14: error: Value must be non-negative integer for uint32 option \"p.u\"."]
        ),
        DiagnosticCase(
            "option_subfield_already_set",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O { \
                optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; }\nextend \
                google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; optional \
                uint32 u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 i = 50005; \
                }\noption (o).a = 1;\noption (o).a = 2;\n
                """
            ],
            expected: ["a.proto:9:8: error: Option \"(o).a\" was already set."]
        ),
        DiagnosticCase(
            "option_aggregate_then_subfield",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O { \
                optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; }\nextend \
                google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; optional uint32 \
                u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 i = 50005; }\noption \
                (o) = { a: 1 };\noption (o).a = 2;\n
                """
            ],
            expected: ["a.proto:9:8: error: Option \"(o).a\" was already set."]
        ),
        DiagnosticCase(
            "option_resolved_but_undefined",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nmessage O { \
                optional int32 a = 1; repeated O r = 2; }\nenum E { E0 = 0; }\nenum F { F1 = 1; }\nextend \
                google.protobuf.FileOptions { optional float fl = 50000; optional O o = 50001; optional uint32 \
                u = 50002; optional bool b = 50003; optional E e = 50004; optional int32 i = 50005; }\nmessage \
                M {\n  message p {}\n  option (p.i) = 1;\n}\n
                """
            ],
            expected: [
                """
                a.proto:10:10: error: Option field \"(p.i)\" is not a field or \
                extension of message \"MessageOptions\".
                """
            ]
        ),
        DiagnosticCase(
            "empty_enum",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nenum E {\n}\n"],
            expected: ["a.proto:2:6: error: Enums must contain at least one value."]
        ),
        DiagnosticCase(
            "proto3_group",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nmessage M {\n  optional group G = 1 {\n  }\n}\n"],
            expected: ["a.proto:3:12: error: Groups are not supported in proto3 syntax."]
        ),
        DiagnosticCase(
            "map_value_enum_nonzero",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nenum E {\n  A = 1;\n}\nmessage M {\n  map<int32, E> m = 1;\n}\n"],
            expected: ["a.proto:6:3: error: Enum value in map must define 0 as the first value."]
        ),
        DiagnosticCase(
            "proto3_message_set",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nmessage M {\n  option message_set_wire_format = true;\n}\n"],
            expected: ["a.proto:2:9: error: MessageSet is not supported in proto3."]
        ),
        DiagnosticCase(
            "json_name_on_extension",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\nmessage A {\n  extensions 10 to 20;\n}\nextend A {\n \
                 optional int32 x = 10 [json_name = \"y\"];\n}\n
                """
            ],
            expected: ["a.proto:6:26: error: option json_name is not allowed on extension fields."]
        ),
        DiagnosticCase(
            "lazy_on_scalar",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage M {\n  optional int32 x = 1 [lazy = true];\n}\n"],
            expected: ["a.proto:3:12: error: [lazy = true] can only be specified for submessage fields."]
        ),
        DiagnosticCase(
            "message_set_field",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\nmessage M {\n  option message_set_wire_format = true;\n \
                 extensions 4 to max;\n  optional int32 x = 1;\n}\n
                """
            ],
            expected: ["a.proto:5:18: error: MessageSets cannot have fields, only extensions."]
        ),
        DiagnosticCase(
            "extension_range_too_large",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage M {\n  extensions 10 to 536870912;\n}\n"],
            expected: ["a.proto:3:14: error: Extension numbers cannot be greater than 536870911."]
        ),
        DiagnosticCase(
            "proto3_enum_prefix_conflict",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nenum Color {\n  COLOR_RED = 0;\n  RED = 1;\n}\n"],
            expected: [
                """
                a.proto:4:3: error: Enum name RED has the same name as COLOR_RED if you ignore case and strip out \
                the enum name prefix (if any). This is error-prone and can lead to undefined behavior. Please avoid \
                doing this. If you are using allow_alias, please assign the same numeric value to both enums.
                """
            ]
        ),
        DiagnosticCase(
            "enum_prefix_conflict_proto2_warning",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nenum Color {\n  COLOR_RED = 0;\n  RED = 1;\n}\n"],
            expected: [
                """
                a.proto:4:3: warning: Enum name RED has the same name as COLOR_RED if you ignore case and strip out \
                the enum name prefix (if any). This is error-prone and can lead to undefined behavior. Please avoid \
                doing this. If you are using allow_alias, please assign the same numeric value to both enums.
                """
            ]
        ),
        DiagnosticCase(
            "package_conflicts_with_message",
            main: "b.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\npackage p;\nmessage q {}\n",
                "b.proto": "syntax = \"proto2\";\npackage p.q;\nimport \"a.proto\";\n",
            ],
            expected: [
                """
                b.proto:2:1: error: \"p.q\" is already defined (as something \
                other than a package) in file \"a.proto\".
                """
            ]
        ),
        DiagnosticCase(
            "duplicate_import",
            main: "b.proto",
            files: [
                "a.proto": "syntax = \"proto2\";\nmessage A {}\n",
                "b.proto":
                    "syntax = \"proto2\";\nimport \"a.proto\";\nimport \"a.proto\";\nmessage B { optional A a = 1; }\n",
            ],
            expected: ["b.proto:3:1: error: Import \"a.proto\" was listed twice."]
        ),
        DiagnosticCase(
            "enum_not_message_extendee_field",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nenum E {\n  A = 0;\n}\nmessage M {\n  optional E.A x = 1;\n}\n"],
            expected: ["a.proto:6:12: error: \"E.A\" is not defined."]
        ),
        DiagnosticCase(
            "rpc_output_undefined",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto3\";\nmessage M {}\nservice S {\n  rpc R(M) returns (Missing);\n}\n"],
            expected: ["a.proto:4:21: error: \"Missing\" is not defined."]
        ),
        DiagnosticCase(
            "extension_conflict_other_file",
            main: "b.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\nmessage A {\n  extensions 10 to \
                20;\n}\nextend A {\n  optional int32 x = 10;\n}\n
                """,
                "b.proto": "syntax = \"proto2\";\nimport \"a.proto\";\nextend A {\n  optional int32 y = 10;\n}\n",
            ],
            expected: [
                """
                b.proto:4:22: warning: Extension number 10 has already been used in \
                \"A\" by extension \"x\" defined in a.proto.
                """
            ]
        ),
        DiagnosticCase(
            "nested_scope_resolution_ok",
            main: "a.proto",
            files: [
                "a.proto":
                    """
                syntax = \"proto2\";\npackage a.b;\nmessage Outer {\n  message Inner {}\n  optional Inner i = \
                1;\n  optional b.Outer.Inner j = 2;\n  optional .a.b.Outer k = 3;\n}\n
                """
            ],
            expected: []
        ),
        DiagnosticCase(
            "reserved_range_overlap",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage M {\n  reserved 1 to 5;\n  reserved 3 to 8;\n}\n"],
            expected: ["a.proto:3:12: error: Reserved range 3 to 8 overlaps with already-defined range 1 to 5."],
            deviation: "protoc loses the position of this error and prints only the file name"
        ),
        DiagnosticCase(
            "extension_range_overlap",
            main: "a.proto",
            files: ["a.proto": "syntax = \"proto2\";\nmessage M {\n  extensions 1 to 5;\n  extensions 3 to 8;\n}\n"],
            expected: ["a.proto:3:14: error: Extension range 3 to 8 overlaps with already-defined range 1 to 5."]
        ),
    ]

    @Test("each broken schema reports protoc's diagnostics at protoc's positions", arguments: cases)
    func diagnostics(_ testCase: DiagnosticCase) throws {
        let directory = try testCase.materialize()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = Compiler(importPaths: [directory, SchemaOracles.protobufCorpus]).compile(files: [testCase.main])
        #expect(result.diagnostics.map(\.description) == testCase.expected)
        #expect(result.hasErrors == testCase.expected.contains { $0.contains("error: ") })
    }

    @Test("the expected diagnostics are protoc's", arguments: cases.filter { $0.deviation == nil })
    func expectationsMatchProtoc(_ testCase: DiagnosticCase) async throws {
        let directory = try testCase.materialize()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = try await SchemaOracles.run(
            "/usr/bin/protoc",
            ["-I.", "-I\(SchemaOracles.protobufCorpus)", "--descriptor_set_out=/dev/null", testCase.main],
            in: directory
        ).err
        let protocLines = output.split(separator: "\n").map { line -> String in
            let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            if parts.count == 4, Int(parts[1]) != nil, Int(parts[2]) != nil {
                let message = parts[3].dropFirst()
                return message.hasPrefix("warning: ")
                    ? String(line) : "\(parts[0]):\(parts[1]):\(parts[2]): error: \(message)"
            }
            return "error: " + line
        }
        #expect(protocLines == testCase.expected)
    }
}
