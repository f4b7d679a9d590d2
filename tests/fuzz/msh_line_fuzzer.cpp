// libFuzzer target: msh's line splitter, on any bytes a user can type or pipe in. Beyond not
// crashing (ASan, UBSan), the split keeps its promises: the argument limit, and for a line
// with no quotes or backslashes, exactly the blank-separated words.
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace
{

bool plain_words(std::string_view line)
{
    return line.find_first_of("\"'\\;") == std::string_view::npos &&
           line.find('\0') == std::string_view::npos;
}

void check(bool held)
{
    if (!held)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    std::string_view line(reinterpret_cast<const char *>(data), size);
    for (const std::string &command : msh::split_commands(line))
    {
        msh::Split split = msh::split(command);
        if (split.error == msh::SplitError::none)
            check(split.arguments.size() <= 64);
        if (plain_words(command) && split.error == msh::SplitError::none)
        {
            // The words between blanks: space, tab, CR and LF (what msh calls blank).
            std::vector<std::string> words;
            std::size_t start = 0;
            while (start < command.size())
            {
                std::size_t end = command.find_first_of(" \t\r\n", start);
                if (end == std::string::npos)
                    end = command.size();
                if (end > start)
                    words.push_back(command.substr(start, end - start));
                start = end + 1;
            }
            check(words == split.arguments);
        }
        msh::printable(command);
    }
    return 0;
}
