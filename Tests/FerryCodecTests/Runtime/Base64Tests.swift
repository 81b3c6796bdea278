import FerryCodec
import Testing

@Suite struct Base64Tests {
    @Test(
        "decodes RFC 4648 test vectors",
        arguments: [
            ("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"), ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"), ("Zm9v\nYmFy", "foobar"), ("Zm9vYg", "foob"),
        ]
    )
    func vectors(encoded: String, decoded: String) {
        #expect(Base64.decode(encoded) == Array(decoded.utf8))
    }

    @Test("decodes every byte value")
    func allBytes() {
        #expect(
            Base64.decode(
                """
                AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSE\
                lKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGS\
                k5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29\
                zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w==
                """
            )
                == Array(0...255)
        )
    }

    @Test("rejects text outside the alphabet and dangling characters", arguments: ["Zm9v!", "Z", "Zg==Zg", "Zm9vY"])
    func rejects(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
