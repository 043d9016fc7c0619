// libgpiod behind one C surface: v1 (Debian 12, libgpiod 1.6) or v2 (Debian 13 and
// Raspberry Pi OS trixie, libgpiod 2.x). The v1 header defines
// GPIOD_LINE_BULK_MAX_LINES and the v2 header does not; pkg-config decides which
// gpiod.h the build sees. Line handles belong to a request (struct request), which
// is given back to the kernel when its last line handle is released.
#include "injector_hardware.h"
#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef GPIOD_LINE_BULK_MAX_LINES
#define API 1
#else
#define API 2
#endif

/// The most lines one request may carry (a Raspberry Pi header has 28).
#define MAX_REQUEST_LINES 64

int injector_gpio_api_version(void) { return API; }

struct request;

/// What Swift holds for one line: its request and its index there.
struct line_handle {
    struct request *request;
    unsigned int index;
    int held;
};

struct request {
    unsigned int count;
    /// Line handles not yet released; the request goes when this reaches 0.
    unsigned int held;
    unsigned long debounce_us;
#if API == 1
    struct gpiod_line *lines[MAX_REQUEST_LINES];
#else
    struct gpiod_line_request *kernel;
    unsigned int offsets[MAX_REQUEST_LINES];
#endif
    struct line_handle handles[MAX_REQUEST_LINES];
};

static void copy_text(char *to, unsigned long size, const char *from) {
    if (to == NULL || size == 0) return;
    snprintf(to, size, "%s", from == NULL ? "" : from);
}

static int check_request_arguments(void *chip, const struct injector_gpio_line_settings *settings,
                                   unsigned int count, void **lines) {
    if (chip == NULL || settings == NULL || lines == NULL || count == 0 || count > MAX_REQUEST_LINES) {
        errno = EINVAL;
        return -1;
    }
    for (unsigned int i = 0; i < count; i++) {
        if (settings[i].bias < INJECTOR_GPIO_BIAS_AS_IS || settings[i].bias > INJECTOR_GPIO_BIAS_PULL_DOWN) {
            errno = EINVAL;
            return -1;
        }
    }
    return 0;
}

static struct request *new_request(unsigned int count) {
    struct request *request = calloc(1, sizeof *request);
    if (request == NULL) { errno = ENOMEM; return NULL; }
    request->count = count;
    request->held = count;
    for (unsigned int i = 0; i < count; i++) {
        request->handles[i] = (struct line_handle){ .request = request, .index = i, .held = 1 };
    }
    return request;
}

static struct line_handle *handle_of(void *line) {
    struct line_handle *handle = line;
    if (handle == NULL || !handle->held) { errno = handle == NULL ? EINVAL : EBADF; return NULL; }
    return handle;
}

static void release_kernel_line(struct request *request, unsigned int index);
static void release_kernel_request(struct request *request);

void injector_gpio_release(void *line) {
    struct line_handle *handle = line;
    if (handle == NULL || !handle->held) return;
    handle->held = 0;
    struct request *request = handle->request;
    release_kernel_line(request, handle->index);
    if (--request->held == 0) {
        release_kernel_request(request);
        free(request);
    }
}

unsigned long injector_gpio_line_debounce_us(void *line) {
    struct line_handle *handle = handle_of(line);
    return handle == NULL ? 0 : handle->request->debounce_us;
}

void *injector_gpio_request_output(void *chip, unsigned int offset, const char *consumer, int default_value) {
    struct injector_gpio_line_settings one = { .offset = offset, .output = 1, .value = default_value ? 1 : 0 };
    void *line = NULL;
    return injector_gpio_request_lines(chip, consumer, &one, 1, &line) == 0 ? line : NULL;
}

void *injector_gpio_request_input(void *chip, unsigned int offset, const char *consumer, int bias) {
    struct injector_gpio_line_settings one = { .offset = offset, .output = 0, .bias = bias };
    void *line = NULL;
    return injector_gpio_request_lines(chip, consumer, &one, 1, &line) == 0 ? line : NULL;
}

#if API == 1

const char *injector_gpio_library_version(void) { return gpiod_version_string(); }

void *injector_gpio_chip_open(const char *name_or_path) {
    if (name_or_path == NULL || name_or_path[0] == '\0') { errno = EINVAL; return NULL; }
    errno = 0;
    struct gpiod_chip *chip = strchr(name_or_path, '/') != NULL
        ? gpiod_chip_open(name_or_path) : gpiod_chip_open_by_name(name_or_path);
    if (chip == NULL && errno == 0) errno = ENODEV;
    return chip;
}

void injector_gpio_chip_close(void *chip) {
    if (chip != NULL) gpiod_chip_close((struct gpiod_chip *)chip);
}

unsigned int injector_gpio_chip_num_lines(void *chip) {
    return chip == NULL ? 0 : gpiod_chip_num_lines((struct gpiod_chip *)chip);
}

const char *injector_gpio_chip_label(void *chip) {
    const char *label = chip == NULL ? NULL : gpiod_chip_label((struct gpiod_chip *)chip);
    return label == NULL ? "" : label;
}

static struct gpiod_line *line_at(void *chip, unsigned int offset) {
    if (chip == NULL) { errno = EINVAL; return NULL; }
    errno = 0;
    struct gpiod_line *line = gpiod_chip_get_line((struct gpiod_chip *)chip, offset);
    if (line == NULL && errno == 0) errno = EINVAL;
    return line;
}

int injector_gpio_line_info(void *chip, unsigned int offset, char *name, unsigned long size,
                            char *consumer, unsigned long consumer_size) {
    struct gpiod_line *line = line_at(chip, offset);
    if (line == NULL) return -1;
    if (!gpiod_line_is_requested(line) && gpiod_line_update(line) != 0) return -1;
    copy_text(name, size, gpiod_line_name(line));
    copy_text(consumer, consumer_size, gpiod_line_consumer(line));
    return gpiod_line_is_used(line) ? 1 : 0;
}

static int request_one(struct gpiod_line *line, const char *consumer, const struct injector_gpio_line_settings *s) {
    if (s->output) return gpiod_line_request_output(line, consumer, s->value ? 1 : 0);
    int flags = 0;
    switch (s->bias) {
    case INJECTOR_GPIO_BIAS_DISABLE: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE; break;
    case INJECTOR_GPIO_BIAS_PULL_UP: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP; break;
    case INJECTOR_GPIO_BIAS_PULL_DOWN: flags = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN; break;
    default: break;
    }
    return gpiod_line_request_input_flags(line, consumer, flags);
}

int injector_gpio_request_lines(void *chip, const char *consumer,
                                const struct injector_gpio_line_settings *settings,
                                unsigned int count, void **lines) {
    if (check_request_arguments(chip, settings, count, lines) != 0) return -1;
    struct request *request = new_request(count);
    if (request == NULL) return -1;
    for (unsigned int i = 0; i < count; i++) {
        struct gpiod_line *line = line_at(chip, settings[i].offset);
        if (line == NULL || request_one(line, consumer, &settings[i]) != 0) {
            int saved = errno;
            for (unsigned int j = 0; j < i; j++) gpiod_line_release(request->lines[j]);
            free(request);
            errno = saved;
            return -1;
        }
        request->lines[i] = line;
    }
    for (unsigned int i = 0; i < count; i++) lines[i] = &request->handles[i];
    return 0;
}

static void release_kernel_line(struct request *request, unsigned int index) {
    gpiod_line_release(request->lines[index]);
}

static void release_kernel_request(struct request *request) { (void)request; }

int injector_gpio_set(void *line, int value) {
    struct line_handle *handle = handle_of(line);
    if (handle == NULL) return -1;
    return gpiod_line_set_value(handle->request->lines[handle->index], value ? 1 : 0) == 0 ? 0 : -1;
}

int injector_gpio_get(void *line) {
    struct line_handle *handle = handle_of(line);
    if (handle == NULL) return -1;
    int value = gpiod_line_get_value(handle->request->lines[handle->index]);
    return value < 0 ? -1 : (value ? 1 : 0);
}

#else  // API == 2

/// The chip and what its info said at open.
struct chip2 {
    struct gpiod_chip *chip;
    unsigned int num_lines;
    char label[64];
};

const char *injector_gpio_library_version(void) { return gpiod_api_version(); }

void *injector_gpio_chip_open(const char *name_or_path) {
    if (name_or_path == NULL || name_or_path[0] == '\0') { errno = EINVAL; return NULL; }
    char path[256];
    if (strchr(name_or_path, '/') != NULL) copy_text(path, sizeof path, name_or_path);
    else snprintf(path, sizeof path, "/dev/%s", name_or_path);
    struct chip2 *wrapper = calloc(1, sizeof *wrapper);
    if (wrapper == NULL) { errno = ENOMEM; return NULL; }
    errno = 0;
    wrapper->chip = gpiod_chip_open(path);
    struct gpiod_chip_info *info = wrapper->chip == NULL ? NULL : gpiod_chip_get_info(wrapper->chip);
    if (info == NULL) {
        int saved = errno == 0 ? ENODEV : errno;
        if (wrapper->chip != NULL) gpiod_chip_close(wrapper->chip);
        free(wrapper);
        errno = saved;
        return NULL;
    }
    wrapper->num_lines = (unsigned int)gpiod_chip_info_get_num_lines(info);
    copy_text(wrapper->label, sizeof wrapper->label, gpiod_chip_info_get_label(info));
    gpiod_chip_info_free(info);
    return wrapper;
}

void injector_gpio_chip_close(void *chip) {
    struct chip2 *wrapper = chip;
    if (wrapper == NULL) return;
    gpiod_chip_close(wrapper->chip);
    free(wrapper);
}

unsigned int injector_gpio_chip_num_lines(void *chip) {
    return chip == NULL ? 0 : ((struct chip2 *)chip)->num_lines;
}

const char *injector_gpio_chip_label(void *chip) {
    return chip == NULL ? "" : ((struct chip2 *)chip)->label;
}

int injector_gpio_line_info(void *chip, unsigned int offset, char *name, unsigned long size,
                            char *consumer, unsigned long consumer_size) {
    if (chip == NULL) { errno = EINVAL; return -1; }
    struct gpiod_line_info *info = gpiod_chip_get_line_info(((struct chip2 *)chip)->chip, offset);
    if (info == NULL) return -1;
    copy_text(name, size, gpiod_line_info_get_name(info));
    copy_text(consumer, consumer_size, gpiod_line_info_get_consumer(info));
    int used = gpiod_line_info_is_used(info) ? 1 : 0;
    gpiod_line_info_free(info);
    return used;
}

static enum gpiod_line_bias bias2(int bias) {
    switch (bias) {
    case INJECTOR_GPIO_BIAS_DISABLE: return GPIOD_LINE_BIAS_DISABLED;
    case INJECTOR_GPIO_BIAS_PULL_UP: return GPIOD_LINE_BIAS_PULL_UP;
    case INJECTOR_GPIO_BIAS_PULL_DOWN: return GPIOD_LINE_BIAS_PULL_DOWN;
    default: return GPIOD_LINE_BIAS_AS_IS;
    }
}

/// A line config with every line's settings; NULL + errno.
static struct gpiod_line_config *line_config(const struct injector_gpio_line_settings *settings,
                                             unsigned int count, int with_debounce) {
    struct gpiod_line_config *config = gpiod_line_config_new();
    if (config == NULL) return NULL;
    for (unsigned int i = 0; i < count; i++) {
        const struct injector_gpio_line_settings *s = &settings[i];
        struct gpiod_line_settings *line = gpiod_line_settings_new();
        int failed = line == NULL;
        if (!failed && s->output) {
            failed = gpiod_line_settings_set_direction(line, GPIOD_LINE_DIRECTION_OUTPUT) != 0
                || gpiod_line_settings_set_output_value(line, s->value ? GPIOD_LINE_VALUE_ACTIVE
                                                                       : GPIOD_LINE_VALUE_INACTIVE) != 0;
        } else if (!failed) {
            failed = gpiod_line_settings_set_direction(line, GPIOD_LINE_DIRECTION_INPUT) != 0
                || gpiod_line_settings_set_bias(line, bias2(s->bias)) != 0;
            if (!failed && with_debounce && s->debounce_us > 0) {
                gpiod_line_settings_set_debounce_period_us(line, s->debounce_us);
            }
        }
        unsigned int offset = s->offset;
        failed = failed || gpiod_line_config_add_line_settings(config, &offset, 1, line) != 0;
        int saved = errno;
        gpiod_line_settings_free(line);
        if (failed) {
            gpiod_line_config_free(config);
            errno = saved == 0 ? EINVAL : saved;
            return NULL;
        }
    }
    return config;
}

static struct gpiod_line_request *request2(struct chip2 *chip, const char *consumer,
                                           const struct injector_gpio_line_settings *settings,
                                           unsigned int count, int with_debounce) {
    struct gpiod_line_config *lines = line_config(settings, count, with_debounce);
    if (lines == NULL) return NULL;
    struct gpiod_request_config *config = gpiod_request_config_new();
    if (config == NULL) { gpiod_line_config_free(lines); errno = ENOMEM; return NULL; }
    if (consumer != NULL) gpiod_request_config_set_consumer(config, consumer);
    errno = 0;
    struct gpiod_line_request *request = gpiod_chip_request_lines(chip->chip, config, lines);
    int saved = errno == 0 ? EIO : errno;
    gpiod_request_config_free(config);
    gpiod_line_config_free(lines);
    if (request == NULL) errno = saved;
    return request;
}

int injector_gpio_request_lines(void *chip, const char *consumer,
                                const struct injector_gpio_line_settings *settings,
                                unsigned int count, void **lines) {
    if (check_request_arguments(chip, settings, count, lines) != 0) return -1;
    unsigned long debounce = 0;
    for (unsigned int i = 0; i < count; i++) {
        if (!settings[i].output && settings[i].debounce_us > debounce) debounce = settings[i].debounce_us;
    }
    struct request *request = new_request(count);
    if (request == NULL) return -1;
    request->kernel = request2(chip, consumer, settings, count, debounce > 0);
    if (request->kernel == NULL && debounce > 0
        && (errno == ENXIO || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EINVAL)) {
        // Debounce is offered where the chip or an edge interrupt allows it; without it,
        // the request is the same minus debounce.
        debounce = 0;
        request->kernel = request2(chip, consumer, settings, count, 0);
    }
    if (request->kernel == NULL) {
        int saved = errno;
        free(request);
        errno = saved;
        return -1;
    }
    request->debounce_us = debounce;
    for (unsigned int i = 0; i < count; i++) {
        request->offsets[i] = settings[i].offset;
        lines[i] = &request->handles[i];
    }
    return 0;
}

static void release_kernel_line(struct request *request, unsigned int index) { (void)request; (void)index; }

static void release_kernel_request(struct request *request) { gpiod_line_request_release(request->kernel); }

int injector_gpio_set(void *line, int value) {
    struct line_handle *handle = handle_of(line);
    if (handle == NULL) return -1;
    struct request *request = handle->request;
    return gpiod_line_request_set_value(request->kernel, request->offsets[handle->index],
                                        value ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) == 0 ? 0 : -1;
}

int injector_gpio_get(void *line) {
    struct line_handle *handle = handle_of(line);
    if (handle == NULL) return -1;
    struct request *request = handle->request;
    enum gpiod_line_value value = gpiod_line_request_get_value(request->kernel, request->offsets[handle->index]);
    return value == GPIOD_LINE_VALUE_ERROR ? -1 : (value == GPIOD_LINE_VALUE_ACTIVE ? 1 : 0);
}

#endif
