// The command-line splitter: blanks separate, quotes group, backslashes escape, ';' separates
// commands outside quotes; limits are reported; and no input at all can crash it (a bounded
// random test over bytes and over quote-heavy text).
// SPDX-License-Identifier: Apache-2.0
#include "msh_core.h"

#include <gtest/gtest.h>

#include <random>

using Args = std::vector<std::string>;

TEST(MshSplit, BlanksSeparateArguments)
{
    EXPECT_EQ(msh::split("tcpserver 127.0.0.1 5000").arguments,
              (Args{"tcpserver", "127.0.0.1", "5000"}));
    EXPECT_EQ(msh::split("  \t a \t b  ").arguments, (Args{"a", "b"}));
    EXPECT_TRUE(msh::split("").arguments.empty());
    EXPECT_TRUE(msh::split(" \t ").arguments.empty());
}

TEST(MshSplit, QuotesKeepBlanksAndMayBeEmpty)
{
    EXPECT_EQ(msh::split("echo \"a b\" 'c  d'").arguments, (Args{"echo", "a b", "c  d"}));
    EXPECT_EQ(msh::split("x \"\" ''").arguments, (Args{"x", "", ""}));
    EXPECT_EQ(msh::split("pre\"mid dle\"post").arguments, (Args{"premid dlepost"}));
    EXPECT_EQ(msh::split("say \"it's\"").arguments, (Args{"say", "it's"}));
}

TEST(MshSplit, BackslashTakesTheNextCharacter)
{
    EXPECT_EQ(msh::split("a\\ b c").arguments, (Args{"a b", "c"}));
    EXPECT_EQ(msh::split("\"q\\\"q\"").arguments, (Args{"q\"q"}));
    EXPECT_EQ(msh::split("'raw\\n'").arguments, (Args{"raw\\n"}));
}

TEST(MshSplit, ReportsUnterminatedQuotesAndTooManyArguments)
{
    EXPECT_EQ(msh::split("a \"b").error, msh::SplitError::unterminated_quote);
    EXPECT_EQ(msh::split("a 'b").error, msh::SplitError::unterminated_quote);
    std::string many;
    for (std::size_t i = 0; i < msh::kMaxArguments; ++i)
        many += "x ";
    EXPECT_EQ(msh::split(many).arguments.size(), msh::kMaxArguments);
    EXPECT_EQ(msh::split(many + "one-more").error, msh::SplitError::too_many_arguments);
}

TEST(MshSplit, SemicolonsSeparateCommandsOutsideQuotes)
{
    EXPECT_EQ(msh::split_commands("a; b ;c"), (Args{"a", " b ", "c"}));
    EXPECT_EQ(msh::split_commands("echo \"x;y\"; z"), (Args{"echo \"x;y\"", " z"}));
    EXPECT_EQ(msh::split_commands("a\\;b"), (Args{"a\\;b"}));
}

TEST(MshSplit, PrintableEscapesControlBytes)
{
    EXPECT_EQ(msh::printable(std::string("a\0b\x1b\xff", 5)), "a\\x00b\\x1b\\xff");
}

TEST(MshSplit, NoInputCrashesIt)
{
    // Bounded: 200,000 inputs, a few milliseconds of work each at most.
    std::mt19937 random(20261122);
    const std::string alphabet = "ab \t\"'\\;x\n";
    for (int round = 0; round < 200000; ++round)
    {
        std::size_t length = random() % 80;
        std::string input(length, '\0');
        bool bytes = round % 2 == 0;
        for (char &c : input)
            c = bytes ? static_cast<char>(random()) : alphabet[random() % alphabet.size()];
        msh::Split result = msh::split(input);
        std::size_t total = 0;
        for (const std::string &argument : result.arguments)
            total += argument.size();
        ASSERT_LE(total, input.size()) << msh::printable(input);
        ASSERT_LE(result.arguments.size(), msh::kMaxArguments);
        if (result.error != msh::SplitError::none)
        {
            ASSERT_TRUE(result.arguments.empty());
        }
        std::size_t commands_total = 0;
        for (const std::string &command : msh::split_commands(input))
            commands_total += command.size();
        ASSERT_LE(commands_total, input.size());
    }
}
