@testable import FerryCodegen
import Testing

@Suite struct NamingTests {
    @Test("field names become lowerCamelCase")
    func lowerCamel() {
        #expect(NameFormatting.lowerCamel("price_cents") == "priceCents")
    }
}
