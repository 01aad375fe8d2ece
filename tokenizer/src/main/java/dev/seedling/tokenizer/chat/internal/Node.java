package dev.seedling.tokenizer.chat.internal;

import java.util.List;

/** The syntax tree of a template: statements and expressions, each with its 1-based source line. */
sealed interface Node {
    int line();

    // ---- statements
    record Text(String value, int line) implements Node {}

    record Output(Node expr, int line) implements Node {}

    record If(Node test, List<Node> body, List<Node> orElse, int line) implements Node {}

    /** {@code for target in iterable [if test]}; target is an {@link Ident} or a {@link TupleLit} of them. */
    record For(Node target, Node iterable, Node test, List<Node> body, List<Node> orElse, int line) implements Node {}

    /** {@code set target = value}, or the block form {@code set target}...{@code endset} when value is null. */
    record Set(Node target, Node value, List<Node> body, int line) implements Node {}

    record Macro(String name, List<Node> params, List<Node> body, int line) implements Node {}

    record FilterBlock(Node filter, List<Node> body, int line) implements Node {}

    record Break(int line) implements Node {}

    record Continue(int line) implements Node {}

    record Comment(int line) implements Node {}

    // ---- expressions
    record IntLit(long value, int line) implements Node {}

    record FloatLit(double value, int line) implements Node {}

    record StrLit(String value, int line) implements Node {}

    record Ident(String name, int line) implements Node {}

    record ArrayLit(List<Node> items, int line) implements Node {}

    record TupleLit(List<Node> items, int line) implements Node {}

    record ObjectLit(List<Node> keys, List<Node> values, int line) implements Node {}

    /** {@code object.name}, {@code object[expr]} or {@code object.0}; {@code computed} for the bracket form. */
    record Member(Node object, Node property, boolean computed, int line) implements Node {}

    /** {@code [start:stop:step]}; absent parts are null. */
    record Slice(Node start, Node stop, Node step, int line) implements Node {}

    record Call(Node callee, List<Node> args, int line) implements Node {}

    record Kwarg(String name, Node value, int line) implements Node {}

    record Unary(String op, Node operand, int line) implements Node {}

    record Binary(String op, Node left, Node right, int line) implements Node {}

    /** {@code operand | name} or {@code operand | name(args)}; args is null for the bare form. */
    record Filter(Node operand, String name, List<Node> args, int line) implements Node {}

    record Test(Node operand, String name, boolean negate, int line) implements Node {}

    /** {@code value if test} without else: undefined when the test fails. */
    record Select(Node value, Node test, int line) implements Node {}

    record Ternary(Node test, Node then, Node orElse, int line) implements Node {}
}
