// One stable C surface over libgpiod (v1 or v2) and prctl, for InjectorHardware.
// Every function reports failure as NULL or -1 with errno set; none aborts.
#ifndef INJECTOR_HARDWARE_SHIM_H
#define INJECTOR_HARDWARE_SHIM_H

/// The libgpiod API this build was compiled against: 1 (Debian 12, libgpiod 1.6) or
/// 2 (Debian 13, libgpiod 2.x). The build picks it from the installed gpiod.h (pkg-config).
int injector_gpio_api_version(void);
/// libgpiod's own version at run time (v1 gpiod_version_string, v2 gpiod_api_version).
const char *injector_gpio_library_version(void);

/// Opens a chip by name ("gpiochip0") or by path ("/dev/gpiochip0")
/// (v1 gpiod_chip_open_by_name / gpiod_chip_open, v2 gpiod_chip_open + gpiod_chip_get_info).
/// NULL + errno on failure.
void *injector_gpio_chip_open(const char *name_or_path);
void injector_gpio_chip_close(void *chip);
/// gpiod_chip_num_lines / gpiod_chip_info_get_num_lines.
unsigned int injector_gpio_chip_num_lines(void *chip);
/// The chip's label ("pinctrl-bcm2711", "gpio-sim.0-node0"): gpiod_chip_label /
/// gpiod_chip_info_get_label. Owned by the chip; "" if unknown.
const char *injector_gpio_chip_label(void *chip);
/// Copies line `offset`'s name into `name` (NUL-terminated, truncated to `size`; ""
/// when the line has none) and, if `consumer` is not NULL, its consumer ("" when
/// free). Returns 1 if the line is in use, 0 if free, -1 + errno
/// (gpiod_line_name / gpiod_line_is_used, v2 gpiod_chip_get_line_info).
int injector_gpio_line_info(void *chip, unsigned int offset, char *name, unsigned long size,
                            char *consumer, unsigned long consumer_size);

/// Bias for an input line request.
enum injector_gpio_bias {
    INJECTOR_GPIO_BIAS_AS_IS = 0,
    INJECTOR_GPIO_BIAS_DISABLE = 1,
    INJECTOR_GPIO_BIAS_PULL_UP = 2,
    INJECTOR_GPIO_BIAS_PULL_DOWN = 3,
};

/// One line of a request.
struct injector_gpio_line_settings {
    unsigned int offset;
    /// 1: output driven to `value` from the moment of the request; 0: input.
    int output;
    int value;
    /// enum injector_gpio_bias, for inputs.
    int bias;
    /// Kernel debounce for inputs, in µs (0: none). v2 only: the v1 API has none, and
    /// a v2 kernel or chip that refuses debounce gets the request without it.
    unsigned long debounce_us;
};

/// Requests `count` lines of `chip` together and writes one line handle per setting
/// into `lines`, in order. v2: one gpiod_chip_request_lines call whose line config
/// carries every line's direction, output value, bias and debounce. v1: one
/// gpiod_line_request_output / _input_flags per line, in the order given (so the
/// caller puts ENABLE first). All or nothing: on failure nothing stays requested;
/// NULL is never written. Returns 0, or -1 + errno.
int injector_gpio_request_lines(void *chip, const char *consumer,
                                const struct injector_gpio_line_settings *settings,
                                unsigned int count, void **lines);
/// The debounce (µs) the kernel accepted for a line handle's request (0 if none).
unsigned long injector_gpio_line_debounce_us(void *line);

/// Requests one line as an output driven to default_value (0/1) from the moment of
/// the request (a one-line injector_gpio_request_lines). NULL + errno.
void *injector_gpio_request_output(void *chip, unsigned int offset, const char *consumer, int default_value);
/// Requests one line as an input with `bias` (a one-line request). NULL + errno.
void *injector_gpio_request_input(void *chip, unsigned int offset, const char *consumer, int bias);
/// Drives a line handle (gpiod_line_set_value / gpiod_line_request_set_value): 0, or -1 + errno.
int injector_gpio_set(void *line, int value);
/// Reads a line handle (gpiod_line_get_value / gpiod_line_request_get_value): 0 or 1, or -1 + errno.
int injector_gpio_get(void *line);
/// Gives a line handle back. v1 releases the line at once (gpiod_line_release); v2
/// releases the request (gpiod_line_request_release) when the last of its line
/// handles is given back. A released line goes back to the kernel (mainline drivers
/// return it to an input; the board's resistors decide its level).
void injector_gpio_release(void *line);

/// prctl(PR_SET_TIMERSLACK, ns) (prctl is variadic, so Swift cannot call it). 0 or -1 + errno.
int injector_set_timer_slack(unsigned long nanoseconds);
/// prctl(PR_GET_TIMERSLACK): the calling thread's timer slack in ns, or -1 + errno.
long injector_get_timer_slack(void);

#endif
