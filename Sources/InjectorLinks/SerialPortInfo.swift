import CSerialPort

/// A serial port present on this machine, as libserialport enumerates it.
public struct SerialPortInfo: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    /// libserialport's one-line description (`sp_get_port_description`).
    public var portDescription: String
    /// USB details when the port is a USB adapter (`sp_get_port_usb_*`).
    public var usb: USBDetails?

    public struct USBDetails: Equatable, Sendable {
        public var vendorID: UInt16
        public var productID: UInt16
        public var manufacturer: String?
        public var product: String?
        public var serialNumber: String?
    }

    public var description: String {
        guard let usb else { return "\(name)  \(portDescription)" }
        let id = hex4(usb.vendorID) + ":" + hex4(usb.productID)
        let who = [usb.manufacturer, usb.product].compactMap { $0 }.joined(separator: " ")
        return "\(name)  USB \(id) \(who)" + (usb.serialNumber.map { " serial \($0)" } ?? "")
    }

    /// Every port `sp_list_ports` finds (real ports only: ptys are not listed).
    public static func all() throws(LinkError) -> [SerialPortInfo] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let result = sp_list_ports(&list)
        guard result == SP_OK, let list else {
            throw SerialPortLink.error(result, call: "sp_list_ports", device: "serial ports")
        }
        defer { sp_free_port_list(list) }
        var ports: [SerialPortInfo] = []
        var index = 0
        while let port = list[index] {
            ports.append(info(port))
            index += 1
        }
        return ports
    }

    static func info(_ port: OpaquePointer) -> SerialPortInfo {
        var info = SerialPortInfo(name: string(sp_get_port_name(port)) ?? "?",
                                  portDescription: string(sp_get_port_description(port)) ?? "", usb: nil)
        if sp_get_port_transport(port) == SP_TRANSPORT_USB {
            var vendor: Int32 = 0
            var product: Int32 = 0
            if sp_get_port_usb_vid_pid(port, &vendor, &product) == SP_OK {
                info.usb = USBDetails(vendorID: UInt16(truncatingIfNeeded: vendor),
                                      productID: UInt16(truncatingIfNeeded: product),
                                      manufacturer: string(sp_get_port_usb_manufacturer(port)),
                                      product: string(sp_get_port_usb_product(port)),
                                      serialNumber: string(sp_get_port_usb_serial(port)))
            }
        }
        return info
    }

    /// libserialport returns strings it owns (freed with the port); copy them.
    private static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

private func hex4(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
}
