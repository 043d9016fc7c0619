@main
struct Main {
    static func main() { print("injector-firmware: not yet built") }
}
