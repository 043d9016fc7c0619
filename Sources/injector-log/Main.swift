@main
struct Main {
    static func main() { print("injector-log: not yet built") }
}
