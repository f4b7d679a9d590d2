// The console's device commands in RT-Thread's layout: list_device (the registered devices,
// their class and openers) and date (the "rtc" device's local time, or set it).
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include <rt/kernel.h>

#include <rtdevice.h>

#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace msh
{

namespace
{

// Indexed by enum rt_device_class_type.
const char *const kClassNames[] = {"Character Device",
                                   "Block Device",
                                   "Network Interface",
                                   "MTD Device",
                                   "CAN Device",
                                   "RTC",
                                   "Sound Device",
                                   "Graphic Device",
                                   "I2C Bus",
                                   "USB Slave Device",
                                   "USB Host Bus",
                                   "USB OTG Bus",
                                   "SPI Bus",
                                   "SPI Device",
                                   "SDIO Bus",
                                   "PM Pseudo Device",
                                   "Pipe",
                                   "Portal Device",
                                   "Timer Device",
                                   "Miscellaneous Device",
                                   "Sensor Device",
                                   "Touch Device",
                                   "Phy Device",
                                   "Security Device",
                                   "WLAN Device",
                                   "Pin Device",
                                   "ADC Device",
                                   "DAC Device",
                                   "WDT Device",
                                   "PWM Device",
                                   "Bus Device",
                                   "Unknown"};
static_assert(sizeof kClassNames / sizeof *kClassNames == RT_Device_Class_Unknown + 1);

int list_device(int, char **)
{
    tcp_server::detail::rt::register_host_devices();
    std::vector<rt_object_t> devices(
        static_cast<std::size_t>(rt_object_get_length(RT_Object_Class_Device)));
    devices.resize(static_cast<std::size_t>(rt_object_get_pointers(
        RT_Object_Class_Device, devices.data(), static_cast<int>(devices.size()))));
    rt_kprintf("%-*s %-20s %-8s\n", RT_NAME_MAX, "device", "type", "ref count");
    rt_kprintf("%s -------------------- ----------\n", std::string(RT_NAME_MAX, '-').c_str());
    for (rt_object_t object : devices)
    {
        auto *device = reinterpret_cast<rt_device_t>(object);
        unsigned type =
            device->type <= RT_Device_Class_Unknown ? device->type : RT_Device_Class_Unknown;
        rt_kprintf("%-*.*s %-20s %-8d\n", RT_NAME_MAX, RT_NAME_MAX, object->name, kClassNames[type],
                   device->ref_count);
    }
    return 0;
}

// "Mon Dec  7 20:50:00 2026" (ctime's text without its newline).
std::string local_text(time_t when)
{
    char text[32] = "?";
    tm local{};
    if (localtime_r(&when, &local))
        std::strftime(text, sizeof text, "%a %b %e %H:%M:%S %Y", &local);
    return text;
}

int date(int argc, char **argv)
{
    time_t now = 0;
    if (argc == 1)
    {
        if (rt_err_t result = get_timestamp(&now); result != RT_EOK)
        {
            rt_kprintf("no time from the rtc device: %d\n", static_cast<int>(result));
            return result;
        }
        rt_kprintf("local time: %s\n", local_text(now).c_str());
        rt_kprintf("timestamps: %lld\n", static_cast<long long>(now));
        return 0;
    }
    if (argc != 7)
    {
        rt_kprintf("usage: date [year month day hour min sec]\n");
        rt_kprintf("e.g.:  date 2026 12 07 23 59 59\n");
        return -RT_EINVAL;
    }
    // year, month, day, hour, minute, second and the range of each
    const int lowest[] = {1970, 1, 1, 0, 0, 0}, highest[] = {2099, 12, 31, 23, 59, 60};
    const char *names[] = {"year", "month", "day", "hour", "minute", "second"};
    int value[6];
    for (int i = 0; i < 6; ++i)
    {
        char *end = nullptr;
        long parsed = std::strtol(argv[i + 1], &end, 10);
        if (*argv[i + 1] == '\0' || *end != '\0' || parsed < lowest[i] || parsed > highest[i])
        {
            rt_kprintf("%s is out of range [%d-%d]\n", names[i], lowest[i], highest[i]);
            return -RT_EINVAL;
        }
        value[i] = static_cast<int>(parsed);
    }
    time_t old = 0;
    get_timestamp(&old);
    tm local{};
    local.tm_year = value[0] - 1900;
    local.tm_mon = value[1] - 1;
    local.tm_mday = value[2];
    local.tm_hour = value[3];
    local.tm_min = value[4];
    local.tm_sec = value[5];
    local.tm_isdst = -1;
    now = mktime(&local);
    rt_err_t result = now == static_cast<time_t>(-1) ? -RT_EINVAL : set_timestamp(now);
    if (result != RT_EOK)
    {
        rt_kprintf("set date failed: %d\n", static_cast<int>(result));
        return result;
    }
    get_timestamp(&now);
    rt_kprintf("old: %s\n", local_text(old).c_str());
    rt_kprintf("now: %s\n", local_text(now).c_str());
    return 0;
}

} // namespace

void register_device_commands()
{
    msh_register_command("list_device", "list device in system", list_device);
    msh_register_command(
        "date", "get date and time or set (local timezone) [year month day hour min sec]", date);
}

} // namespace msh
