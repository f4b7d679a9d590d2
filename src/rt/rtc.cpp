// The RTC (rtdevice.h): RTC devices whose control commands go to a driver's rt_rtc_ops, the
// host's own "rtc" (the host's wall clock plus an offset: setting it never touches the host's
// clock), and set_date/set_time/set_timestamp/get_timestamp over whichever device is "rtc".
// SPDX-License-Identifier: Apache-2.0
#include "rt/kernel.h"

#include <rtdevice.h>

#include <sys/time.h>

#include <atomic>
#include <cstdint>
#include <ctime>
#include <mutex>

namespace
{

rt_err_t rtc_init(rt_device_t dev)
{
    auto *rtc = reinterpret_cast<rt_rtc_dev_t *>(dev);
    return rtc->ops->init ? rtc->ops->init() : RT_EOK;
}

// Each command to the driver's call for it; a call it lacks is -RT_ENOSYS.
rt_err_t rtc_control(rt_device_t dev, int cmd, void *args)
{
    const rt_rtc_ops &ops = *reinterpret_cast<rt_rtc_dev_t *>(dev)->ops;
    if (!args)
        return -RT_EINVAL;
    auto call = [](auto *function, auto *argument) -> rt_err_t {
        return function ? function(argument) : -RT_ENOSYS;
    };
    switch (cmd)
    {
    case RT_DEVICE_CTRL_RTC_GET_TIME:
        return call(ops.get_secs, static_cast<time_t *>(args));
    case RT_DEVICE_CTRL_RTC_SET_TIME:
        return call(ops.set_secs, static_cast<time_t *>(args));
    case RT_DEVICE_CTRL_RTC_GET_TIMEVAL:
        return call(ops.get_timeval, static_cast<timeval *>(args));
    case RT_DEVICE_CTRL_RTC_SET_TIMEVAL:
        return call(ops.set_timeval, static_cast<timeval *>(args));
    case RT_DEVICE_CTRL_RTC_GET_ALARM:
        return call(ops.get_alarm, static_cast<rt_rtc_wkalarm *>(args));
    case RT_DEVICE_CTRL_RTC_SET_ALARM:
        return call(ops.set_alarm, static_cast<rt_rtc_wkalarm *>(args));
    default:
        return -RT_EINVAL;
    }
}

rt_err_t register_rtc(rt_rtc_dev_t *rtc, const char *name, rt_uint32_t flag, void *data)
{
    if (!rtc || !rtc->ops)
        return -RT_EINVAL;
    rt_device_t dev = &rtc->parent;
    dev->type = RT_Device_Class_RTC;
    dev->rx_indicate = RT_NULL;
    dev->tx_complete = RT_NULL;
    dev->init = rtc_init;
    dev->open = RT_NULL;
    dev->close = RT_NULL;
    dev->read = RT_NULL;
    dev->write = RT_NULL;
    dev->control = rtc_control;
    dev->user_data = data;
    return tcp_server::detail::rt::register_device(dev, name, static_cast<rt_uint16_t>(flag));
}

// The host's RTC: what was set on it, kept as an offset from the host's clock.
std::atomic<std::int64_t> host_offset_us{0};

std::int64_t host_now_us()
{
    timeval now{};
    gettimeofday(&now, nullptr);
    return std::int64_t{now.tv_sec} * 1000000 + now.tv_usec;
}

rt_err_t host_get_timeval(timeval *tv)
{
    std::int64_t us = host_now_us() + host_offset_us.load();
    tv->tv_sec = static_cast<time_t>(us / 1000000);
    tv->tv_usec = static_cast<suseconds_t>(us % 1000000);
    return RT_EOK;
}

rt_err_t host_set_timeval(timeval *tv)
{
    host_offset_us.store(std::int64_t{tv->tv_sec} * 1000000 + tv->tv_usec - host_now_us());
    return RT_EOK;
}

rt_err_t host_get_secs(time_t *sec)
{
    timeval now{};
    host_get_timeval(&now);
    *sec = now.tv_sec;
    return RT_EOK;
}

rt_err_t host_set_secs(time_t *sec)
{
    timeval to{*sec, 0};
    return host_set_timeval(&to);
}

const rt_rtc_ops host_ops = {RT_NULL, host_get_secs,    host_set_secs,   RT_NULL,
                             RT_NULL, host_get_timeval, host_set_timeval};
rt_rtc_dev_t host_rtc{};

rt_err_t rtc_command(int cmd, time_t *time)
{
    rt_device_t rtc = rt_device_find("rtc");
    return rtc ? rt_device_control(rtc, cmd, time) : -RT_ERROR;
}

// Changes part of the local time on "rtc".
template <typename Change> rt_err_t change_local_time(Change change)
{
    time_t now = 0;
    if (rt_err_t result = rtc_command(RT_DEVICE_CTRL_RTC_GET_TIME, &now); result != RT_EOK)
        return result;
    tm local{};
    localtime_r(&now, &local);
    change(local);
    local.tm_isdst = -1; // the new date's own
    now = mktime(&local);
    return now == static_cast<time_t>(-1) ? -RT_EINVAL
                                          : rtc_command(RT_DEVICE_CTRL_RTC_SET_TIME, &now);
}

} // namespace

namespace tcp_server::detail::rt
{

void register_host_devices()
{
    static std::once_flag once;
    std::call_once(once, [] {
        host_rtc.ops = &host_ops;
        register_rtc(&host_rtc, "rtc", RT_DEVICE_FLAG_RDWR, RT_NULL);
    });
}

} // namespace tcp_server::detail::rt

extern "C"
{

rt_err_t rt_hw_rtc_register(rt_rtc_dev_t *rtc, const char *name, rt_uint32_t flag, void *data)
{
    tcp_server::detail::rt::register_host_devices();
    return register_rtc(rtc, name, flag, data);
}

rt_err_t set_date(rt_uint32_t year, rt_uint32_t month, rt_uint32_t day)
{
    if (year < 1900 || month < 1 || month > 12 || day < 1 || day > 31)
        return -RT_EINVAL;
    return change_local_time([&](tm &local) {
        local.tm_year = static_cast<int>(year) - 1900;
        local.tm_mon = static_cast<int>(month) - 1;
        local.tm_mday = static_cast<int>(day);
    });
}

rt_err_t set_time(rt_uint32_t hour, rt_uint32_t minute, rt_uint32_t second)
{
    if (hour > 23 || minute > 59 || second > 60)
        return -RT_EINVAL;
    return change_local_time([&](tm &local) {
        local.tm_hour = static_cast<int>(hour);
        local.tm_min = static_cast<int>(minute);
        local.tm_sec = static_cast<int>(second);
    });
}

rt_err_t set_timestamp(time_t timestamp)
{
    return rtc_command(RT_DEVICE_CTRL_RTC_SET_TIME, &timestamp);
}

rt_err_t get_timestamp(time_t *timestamp)
{
    return timestamp ? rtc_command(RT_DEVICE_CTRL_RTC_GET_TIME, timestamp) : -RT_EINVAL;
}

} // extern "C"
