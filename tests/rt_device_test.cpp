// Devices (rt_device_*): names are unique and found; open runs a device's init once and counts
// openers, a standalone device takes one; read and write need the device open and reach its
// calls, a call it lacks is -RT_ENOSYS, a handle never registered is refused. The RTC: the
// host's "rtc" follows the host's clock, setting it (as netutils' ntp does, through
// rt_device_control) moves its time and not the host's, set_date/set_time change their part,
// a driver's RTC gets the control commands; msh's list_device and date show them.
// SPDX-License-Identifier: Apache-2.0
#include "shell_capture.h"

#include <rtdevice.h>

#include <gtest/gtest.h>

#include <ctime>
#include <string>

using namespace test_support;

namespace
{

struct Calls
{
    int init = 0, open = 0, close = 0;
    rt_err_t init_result = RT_EOK;
};

/** A device counting its calls, with read (answers 5) and control (answers cmd) only. */
struct CountingDevice
{
    CountingDevice()
    {
        device.user_data = &calls;
        device.init = [](rt_device_t dev) -> rt_err_t {
            auto *calls = static_cast<Calls *>(dev->user_data);
            ++calls->init;
            return calls->init_result;
        };
        device.open = [](rt_device_t dev, rt_uint16_t) -> rt_err_t {
            ++static_cast<Calls *>(dev->user_data)->open;
            return RT_EOK;
        };
        device.close = [](rt_device_t dev) -> rt_err_t {
            ++static_cast<Calls *>(dev->user_data)->close;
            return RT_EOK;
        };
        device.read = [](rt_device_t, rt_off_t, void *, rt_size_t) -> rt_ssize_t { return 5; };
    }
    struct rt_device device
    {
    };
    Calls calls;
};

/** Puts the host's RTC back on the host's clock when the test ends. */
struct RtcRestored
{
    ~RtcRestored()
    {
        time_t now = time(nullptr);
        rt_device_control(rt_device_find("rtc"), RT_DEVICE_CTRL_RTC_SET_TIME, &now);
    }
};

time_t rtc_now()
{
    time_t now = 0;
    EXPECT_EQ(rt_device_control(rt_device_find("rtc"), RT_DEVICE_CTRL_RTC_GET_TIME, &now), RT_EOK);
    return now;
}

} // namespace

TEST(RtDevice, NamesAreUniqueFoundAndGoneOnceUnregistered)
{
    CountingDevice first, second;
    ASSERT_EQ(rt_device_register(&first.device, "dev0", RT_DEVICE_FLAG_RDWR), RT_EOK);
    EXPECT_EQ(rt_device_find("dev0"), &first.device);
    EXPECT_EQ(rt_device_register(&second.device, "dev0", RT_DEVICE_FLAG_RDWR), -RT_ERROR);
    EXPECT_EQ(rt_device_unregister(&first.device), RT_EOK);
    EXPECT_EQ(rt_device_find("dev0"), nullptr);
    // A handle not registered (any more) is refused, never called.
    EXPECT_EQ(rt_device_open(&first.device, RT_DEVICE_OFLAG_RDWR), -RT_EINVAL);
    EXPECT_EQ(rt_device_control(&first.device, 1, nullptr), -RT_EINVAL);
    EXPECT_EQ(rt_device_open(nullptr, RT_DEVICE_OFLAG_RDWR), -RT_EINVAL);
    EXPECT_EQ(first.calls.init, 0);
    EXPECT_EQ(rt_device_register(&second.device, "dev0", RT_DEVICE_FLAG_RDWR), RT_EOK);
    EXPECT_EQ(rt_device_unregister(&second.device), RT_EOK);
}

TEST(RtDevice, OpenRunsInitOnceAndCountsOpeners)
{
    CountingDevice counting;
    ASSERT_EQ(rt_device_register(&counting.device, "count", RT_DEVICE_FLAG_RDWR), RT_EOK);
    EXPECT_EQ(rt_device_open(&counting.device, RT_DEVICE_OFLAG_RDWR), RT_EOK);
    EXPECT_EQ(rt_device_open(&counting.device, RT_DEVICE_OFLAG_RDONLY), RT_EOK);
    EXPECT_EQ(counting.calls.init, 1);
    EXPECT_EQ(counting.calls.open, 1) << "a second opener is only counted";
    EXPECT_EQ(counting.device.ref_count, 2);
    EXPECT_TRUE(counting.device.open_flag & RT_DEVICE_OFLAG_OPEN);
    EXPECT_EQ(rt_device_close(&counting.device), RT_EOK);
    EXPECT_EQ(counting.calls.close, 0) << "closed while another opener has it";
    EXPECT_EQ(rt_device_close(&counting.device), RT_EOK);
    EXPECT_EQ(counting.calls.close, 1);
    EXPECT_EQ(counting.device.open_flag, RT_DEVICE_OFLAG_CLOSE);
    EXPECT_EQ(rt_device_close(&counting.device), -RT_ERROR) << "closed more than opened";
    EXPECT_EQ(rt_device_open(&counting.device, RT_DEVICE_OFLAG_RDWR), RT_EOK);
    EXPECT_EQ(counting.calls.init, 1) << "init runs once";
    EXPECT_EQ(counting.calls.open, 2);
    EXPECT_EQ(rt_device_close(&counting.device), RT_EOK);
    EXPECT_EQ(rt_device_unregister(&counting.device), RT_EOK);
}

TEST(RtDevice, AStandaloneDeviceTakesOneOpenerAndAFailedInitIsTriedAgain)
{
    CountingDevice alone;
    alone.calls.init_result = -RT_EIO;
    ASSERT_EQ(
        rt_device_register(&alone.device, "alone", RT_DEVICE_FLAG_RDWR | RT_DEVICE_FLAG_STANDALONE),
        RT_EOK);
    EXPECT_EQ(rt_device_open(&alone.device, RT_DEVICE_OFLAG_RDWR), -RT_EIO);
    EXPECT_EQ(alone.calls.open, 0);
    alone.calls.init_result = RT_EOK;
    EXPECT_EQ(rt_device_open(&alone.device, RT_DEVICE_OFLAG_RDWR), RT_EOK);
    EXPECT_EQ(alone.calls.init, 2);
    EXPECT_EQ(rt_device_open(&alone.device, RT_DEVICE_OFLAG_RDWR), -RT_EBUSY);
    EXPECT_EQ(alone.device.ref_count, 1);
    EXPECT_EQ(rt_device_close(&alone.device), RT_EOK);
    EXPECT_EQ(rt_device_unregister(&alone.device), RT_EOK);
}

TEST(RtDevice, ReadAndWriteNeedItOpenAndReachOnlyTheCallsItHas)
{
    CountingDevice counting;
    ASSERT_EQ(rt_device_register(&counting.device, "rw", RT_DEVICE_FLAG_RDWR), RT_EOK);
    char buffer[8];
    rt_set_errno(RT_EOK);
    EXPECT_EQ(rt_device_read(&counting.device, 0, buffer, sizeof buffer), 0);
    EXPECT_EQ(rt_get_errno(), -RT_ERROR) << "read before open";
    ASSERT_EQ(rt_device_open(&counting.device, RT_DEVICE_OFLAG_RDWR), RT_EOK);
    EXPECT_EQ(rt_device_read(&counting.device, 0, buffer, sizeof buffer), 5);
    EXPECT_EQ(rt_device_write(&counting.device, 0, buffer, sizeof buffer), 0);
    EXPECT_EQ(rt_get_errno(), -RT_ENOSYS);
    EXPECT_EQ(rt_device_control(&counting.device, 1, buffer), -RT_ENOSYS);
    EXPECT_EQ(rt_device_close(&counting.device), RT_EOK);
    EXPECT_EQ(rt_device_unregister(&counting.device), RT_EOK);
}

TEST(RtDevice, ACreatedDeviceIsZeroedAndDestroyUnregistersIt)
{
    rt_device_t created = rt_device_create(RT_Device_Class_Char, 64);
    ASSERT_NE(created, nullptr);
    EXPECT_EQ(created->type, RT_Device_Class_Char);
    EXPECT_EQ(created->init, nullptr);
    EXPECT_EQ(created->ref_count, 0);
    ASSERT_EQ(rt_device_register(created, "made", RT_DEVICE_FLAG_RDWR), RT_EOK);
    EXPECT_EQ(rt_device_open(created, RT_DEVICE_OFLAG_RDWR), RT_EOK) << "no open call: opens as is";
    rt_device_destroy(created);
    EXPECT_EQ(rt_device_find("made"), nullptr);
}

TEST(Rtc, TheHostsRtcIsRegisteredAndFollowsTheHostsClock)
{
    rt_device_t rtc = rt_device_find("rtc");
    ASSERT_NE(rtc, nullptr);
    EXPECT_EQ(rtc->type, RT_Device_Class_RTC);
    time_t before = time(nullptr);
    time_t now = rtc_now();
    EXPECT_GE(now, before);
    EXPECT_LE(now, time(nullptr));
    struct timeval tv
    {
    };
    EXPECT_EQ(rt_device_control(rtc, RT_DEVICE_CTRL_RTC_GET_TIMEVAL, &tv), RT_EOK);
    EXPECT_GE(tv.tv_sec, before);
    EXPECT_EQ(rt_device_control(rtc, RT_DEVICE_CTRL_RTC_GET_ALARM, &tv), -RT_ENOSYS);
    EXPECT_EQ(rt_device_control(rtc, RT_DEVICE_CTRL_RTC_GET_TIME, nullptr), -RT_EINVAL);
    EXPECT_EQ(rt_device_control(rtc, 0x6ff, &now), -RT_EINVAL);
}

TEST(Rtc, SettingItAsNtpDoesMovesItsTimeNotTheHosts)
{
    RtcRestored restored;
    time_t ahead = time(nullptr) + 86400;
    // netutils' ntp: rt_device_control(rt_device_find("rtc"), RT_DEVICE_CTRL_RTC_SET_TIME, &t)
    ASSERT_EQ(rt_device_control(rt_device_find("rtc"), RT_DEVICE_CTRL_RTC_SET_TIME, &ahead),
              RT_EOK);
    time_t now = rtc_now();
    EXPECT_GE(now, ahead);
    EXPECT_LE(now, ahead + 2);
    EXPECT_LT(time(nullptr), ahead - 3600) << "the host's clock moved";
    time_t stamp = 0;
    EXPECT_EQ(get_timestamp(&stamp), RT_EOK);
    EXPECT_GE(stamp, ahead);
    EXPECT_EQ(set_timestamp(1000000000), RT_EOK);
    EXPECT_EQ(get_timestamp(&stamp), RT_EOK);
    EXPECT_GE(stamp, 1000000000);
    EXPECT_LE(stamp, 1000000002);
}

TEST(Rtc, SetDateAndSetTimeChangeOnlyTheirPartOfTheLocalTime)
{
    RtcRestored restored;
    ASSERT_EQ(set_timestamp(time(nullptr)), RT_EOK);
    ASSERT_EQ(set_time(12, 34, 56), RT_EOK);
    ASSERT_EQ(set_date(2030, 6, 15), RT_EOK);
    time_t now = rtc_now();
    struct tm local
    {
    };
    localtime_r(&now, &local);
    EXPECT_EQ(local.tm_year, 2030 - 1900);
    EXPECT_EQ(local.tm_mon, 5);
    EXPECT_EQ(local.tm_mday, 15);
    EXPECT_EQ(local.tm_hour, 12);
    EXPECT_EQ(local.tm_min, 34);
    EXPECT_GE(local.tm_sec, 56);
    EXPECT_EQ(set_date(2030, 13, 1), -RT_EINVAL);
    EXPECT_EQ(set_time(24, 0, 0), -RT_EINVAL);
}

TEST(Rtc, ADriversRtcAnswersTheControlCommandsThroughItsOps)
{
    static time_t driver_time = 1234;
    static const struct rt_rtc_ops ops = {RT_NULL,
                                          [](time_t *sec) -> rt_err_t {
                                              *sec = driver_time;
                                              return RT_EOK;
                                          },
                                          [](time_t *sec) -> rt_err_t {
                                              driver_time = *sec;
                                              return RT_EOK;
                                          },
                                          RT_NULL,
                                          RT_NULL,
                                          RT_NULL,
                                          RT_NULL};
    rt_rtc_dev_t board_rtc{};
    board_rtc.ops = &ops;
    EXPECT_EQ(rt_hw_rtc_register(&board_rtc, "rtc", RT_DEVICE_FLAG_RDWR, RT_NULL), -RT_ERROR)
        << "the host's RTC has the name";
    ASSERT_EQ(rt_hw_rtc_register(&board_rtc, "rtc2", RT_DEVICE_FLAG_RDWR, RT_NULL), RT_EOK);
    rt_device_t device = rt_device_find("rtc2");
    ASSERT_EQ(device, &board_rtc.parent);
    EXPECT_EQ(device->type, RT_Device_Class_RTC);
    time_t value = 0;
    EXPECT_EQ(rt_device_control(device, RT_DEVICE_CTRL_RTC_GET_TIME, &value), RT_EOK);
    EXPECT_EQ(value, 1234);
    value = 99;
    EXPECT_EQ(rt_device_control(device, RT_DEVICE_CTRL_RTC_SET_TIME, &value), RT_EOK);
    EXPECT_EQ(driver_time, 99);
    struct timeval tv
    {
    };
    EXPECT_EQ(rt_device_control(device, RT_DEVICE_CTRL_RTC_GET_TIMEVAL, &tv), -RT_ENOSYS);
    EXPECT_EQ(rt_device_unregister(device), RT_EOK);
}

TEST(DeviceCommands, ListDeviceAndDateShowTheRtc)
{
    msh::register_builtins();
    std::string devices = run_captured("list_device");
    EXPECT_EQ(devices.find("device   type                 ref count\n"
                           "-------- -------------------- ----------\n"),
              0u)
        << devices;
    EXPECT_NE(devices.find("\nrtc      RTC                  0"), std::string::npos) << devices;
    RtcRestored restored;
    std::string set = run_captured("date 2031 01 02 03 04 05");
    EXPECT_NE(set.find("now: Thu Jan  2 03:04:0"), std::string::npos) << set;
    std::string shown = run_captured("date");
    EXPECT_NE(shown.find("local time: Thu Jan  2 03:04:0"), std::string::npos) << shown;
    EXPECT_NE(run_captured("date 2031 13 02 03 04 05").find("month is out of range [1-12]"),
              std::string::npos);
}
