/* part4.c - generated part of the 'big' program: 60 functions that
 * call each other across objects, with tables of pointers and strings. */
long f0_0(long);
long f0_1(long);
long f0_2(long);
long f0_3(long);
long f0_4(long);
long f0_5(long);
long f0_6(long);
long f0_7(long);
long f0_8(long);
long f0_9(long);
long f0_10(long);
long f0_11(long);
long f0_12(long);
long f0_13(long);
long f0_14(long);
long f0_15(long);
long f0_16(long);
long f0_17(long);
long f0_18(long);
long f0_19(long);
long f0_20(long);
long f0_21(long);
long f0_22(long);
long f0_23(long);
long f0_24(long);
long f0_25(long);
long f0_26(long);
long f0_27(long);
long f0_28(long);
long f0_29(long);
long f0_30(long);
long f0_31(long);
long f0_32(long);
long f0_33(long);
long f0_34(long);
long f0_35(long);
long f0_36(long);
long f0_37(long);
long f0_38(long);
long f0_39(long);
long f0_40(long);
long f0_41(long);
long f0_42(long);
long f0_43(long);
long f0_44(long);
long f0_45(long);
long f0_46(long);
long f0_47(long);
long f0_48(long);
long f0_49(long);
long f0_50(long);
long f0_51(long);
long f0_52(long);
long f0_53(long);
long f0_54(long);
long f0_55(long);
long f0_56(long);
long f0_57(long);
long f0_58(long);
long f0_59(long);
long f1_0(long);
long f1_1(long);
long f1_2(long);
long f1_3(long);
long f1_4(long);
long f1_5(long);
long f1_6(long);
long f1_7(long);
long f1_8(long);
long f1_9(long);
long f1_10(long);
long f1_11(long);
long f1_12(long);
long f1_13(long);
long f1_14(long);
long f1_15(long);
long f1_16(long);
long f1_17(long);
long f1_18(long);
long f1_19(long);
long f1_20(long);
long f1_21(long);
long f1_22(long);
long f1_23(long);
long f1_24(long);
long f1_25(long);
long f1_26(long);
long f1_27(long);
long f1_28(long);
long f1_29(long);
long f1_30(long);
long f1_31(long);
long f1_32(long);
long f1_33(long);
long f1_34(long);
long f1_35(long);
long f1_36(long);
long f1_37(long);
long f1_38(long);
long f1_39(long);
long f1_40(long);
long f1_41(long);
long f1_42(long);
long f1_43(long);
long f1_44(long);
long f1_45(long);
long f1_46(long);
long f1_47(long);
long f1_48(long);
long f1_49(long);
long f1_50(long);
long f1_51(long);
long f1_52(long);
long f1_53(long);
long f1_54(long);
long f1_55(long);
long f1_56(long);
long f1_57(long);
long f1_58(long);
long f1_59(long);
long f2_0(long);
long f2_1(long);
long f2_2(long);
long f2_3(long);
long f2_4(long);
long f2_5(long);
long f2_6(long);
long f2_7(long);
long f2_8(long);
long f2_9(long);
long f2_10(long);
long f2_11(long);
long f2_12(long);
long f2_13(long);
long f2_14(long);
long f2_15(long);
long f2_16(long);
long f2_17(long);
long f2_18(long);
long f2_19(long);
long f2_20(long);
long f2_21(long);
long f2_22(long);
long f2_23(long);
long f2_24(long);
long f2_25(long);
long f2_26(long);
long f2_27(long);
long f2_28(long);
long f2_29(long);
long f2_30(long);
long f2_31(long);
long f2_32(long);
long f2_33(long);
long f2_34(long);
long f2_35(long);
long f2_36(long);
long f2_37(long);
long f2_38(long);
long f2_39(long);
long f2_40(long);
long f2_41(long);
long f2_42(long);
long f2_43(long);
long f2_44(long);
long f2_45(long);
long f2_46(long);
long f2_47(long);
long f2_48(long);
long f2_49(long);
long f2_50(long);
long f2_51(long);
long f2_52(long);
long f2_53(long);
long f2_54(long);
long f2_55(long);
long f2_56(long);
long f2_57(long);
long f2_58(long);
long f2_59(long);
long f3_0(long);
long f3_1(long);
long f3_2(long);
long f3_3(long);
long f3_4(long);
long f3_5(long);
long f3_6(long);
long f3_7(long);
long f3_8(long);
long f3_9(long);
long f3_10(long);
long f3_11(long);
long f3_12(long);
long f3_13(long);
long f3_14(long);
long f3_15(long);
long f3_16(long);
long f3_17(long);
long f3_18(long);
long f3_19(long);
long f3_20(long);
long f3_21(long);
long f3_22(long);
long f3_23(long);
long f3_24(long);
long f3_25(long);
long f3_26(long);
long f3_27(long);
long f3_28(long);
long f3_29(long);
long f3_30(long);
long f3_31(long);
long f3_32(long);
long f3_33(long);
long f3_34(long);
long f3_35(long);
long f3_36(long);
long f3_37(long);
long f3_38(long);
long f3_39(long);
long f3_40(long);
long f3_41(long);
long f3_42(long);
long f3_43(long);
long f3_44(long);
long f3_45(long);
long f3_46(long);
long f3_47(long);
long f3_48(long);
long f3_49(long);
long f3_50(long);
long f3_51(long);
long f3_52(long);
long f3_53(long);
long f3_54(long);
long f3_55(long);
long f3_56(long);
long f3_57(long);
long f3_58(long);
long f3_59(long);
long f4_0(long);
long f4_1(long);
long f4_2(long);
long f4_3(long);
long f4_4(long);
long f4_5(long);
long f4_6(long);
long f4_7(long);
long f4_8(long);
long f4_9(long);
long f4_10(long);
long f4_11(long);
long f4_12(long);
long f4_13(long);
long f4_14(long);
long f4_15(long);
long f4_16(long);
long f4_17(long);
long f4_18(long);
long f4_19(long);
long f4_20(long);
long f4_21(long);
long f4_22(long);
long f4_23(long);
long f4_24(long);
long f4_25(long);
long f4_26(long);
long f4_27(long);
long f4_28(long);
long f4_29(long);
long f4_30(long);
long f4_31(long);
long f4_32(long);
long f4_33(long);
long f4_34(long);
long f4_35(long);
long f4_36(long);
long f4_37(long);
long f4_38(long);
long f4_39(long);
long f4_40(long);
long f4_41(long);
long f4_42(long);
long f4_43(long);
long f4_44(long);
long f4_45(long);
long f4_46(long);
long f4_47(long);
long f4_48(long);
long f4_49(long);
long f4_50(long);
long f4_51(long);
long f4_52(long);
long f4_53(long);
long f4_54(long);
long f4_55(long);
long f4_56(long);
long f4_57(long);
long f4_58(long);
long f4_59(long);
static const char *const names4[] = { "f4_0", "f4_1", "f4_2", "f4_3", "f4_4", "f4_5", "f4_6", "f4_7", "f4_8", "f4_9", "f4_10", "f4_11", "f4_12", "f4_13", "f4_14", "f4_15", "f4_16", "f4_17", "f4_18", "f4_19", "f4_20", "f4_21", "f4_22", "f4_23", "f4_24", "f4_25", "f4_26", "f4_27", "f4_28", "f4_29", "f4_30", "f4_31", "f4_32", "f4_33", "f4_34", "f4_35", "f4_36", "f4_37", "f4_38", "f4_39", "f4_40", "f4_41", "f4_42", "f4_43", "f4_44", "f4_45", "f4_46", "f4_47", "f4_48", "f4_49", "f4_50", "f4_51", "f4_52", "f4_53", "f4_54", "f4_55", "f4_56", "f4_57", "f4_58", "f4_59" };
const char *name4(int i) { return names4[i]; }
long f4_0(long x)
{
	long r = x * 3 + 45;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_1(long x)
{
	long r = x * 4 + 45;
	if (x > 0) r += f0_0(x - 1) % 98;
	return r % 1000000007;
}
long f4_2(long x)
{
	long r = x * 5 + 45;
	if (x > 0) r += f0_0(x - 1) % 99;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_3(long x)
{
	long r = x * 6 + 45;
	if (x > 0) r += f0_0(x - 1) % 100;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_4(long x)
{
	long r = x * 7 + 45;
	if (x > 0) r += f0_0(x - 1) % 101;
	r ^= r >> 5;
	return r % 1000000007;
}
long f4_5(long x)
{
	long r = x * 8 + 45;
	if (x > 0) r += f0_0(x - 1) % 102;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_6(long x)
{
	long r = x * 9 + 45;
	if (x > 0) r += f0_0(x - 1) % 103;
	return r % 1000000007;
}
long f4_7(long x)
{
	long r = x * 10 + 45;
	if (x > 0) r += f0_0(x - 1) % 104;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_8(long x)
{
	long r = x * 11 + 45;
	if (x > 0) r += f0_0(x - 1) % 105;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_9(long x)
{
	long r = x * 12 + 45;
	if (x > 0) r += f0_0(x - 1) % 106;
	r ^= r >> 3;
	return r % 1000000007;
}
long f4_10(long x)
{
	long r = x * 13 + 45;
	if (x > 0) r += f0_0(x - 1) % 107;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_11(long x)
{
	long r = x * 14 + 45;
	if (x > 0) r += f0_0(x - 1) % 108;
	return r % 1000000007;
}
long f4_12(long x)
{
	long r = x * 15 + 45;
	if (x > 0) r += f0_0(x - 1) % 109;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_13(long x)
{
	long r = x * 16 + 45;
	if (x > 0) r += f0_0(x - 1) % 110;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_14(long x)
{
	long r = x * 17 + 45;
	if (x > 0) r += f0_0(x - 1) % 111;
	r ^= r >> 1;
	return r % 1000000007;
}
long f4_15(long x)
{
	long r = x * 18 + 45;
	if (x > 0) r += f0_0(x - 1) % 112;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_16(long x)
{
	long r = x * 19 + 45;
	if (x > 0) r += f0_0(x - 1) % 113;
	return r % 1000000007;
}
long f4_17(long x)
{
	long r = x * 20 + 45;
	if (x > 0) r += f0_0(x - 1) % 114;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_18(long x)
{
	long r = x * 21 + 45;
	if (x > 0) r += f0_0(x - 1) % 115;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_19(long x)
{
	long r = x * 22 + 45;
	if (x > 0) r += f0_0(x - 1) % 116;
	r ^= r >> 6;
	return r % 1000000007;
}
long f4_20(long x)
{
	long r = x * 23 + 45;
	if (x > 0) r += f0_0(x - 1) % 117;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_21(long x)
{
	long r = x * 24 + 45;
	if (x > 0) r += f0_0(x - 1) % 118;
	return r % 1000000007;
}
long f4_22(long x)
{
	long r = x * 25 + 45;
	if (x > 0) r += f0_0(x - 1) % 119;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_23(long x)
{
	long r = x * 26 + 45;
	if (x > 0) r += f0_0(x - 1) % 120;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_24(long x)
{
	long r = x * 27 + 45;
	if (x > 0) r += f0_0(x - 1) % 121;
	r ^= r >> 4;
	return r % 1000000007;
}
long f4_25(long x)
{
	long r = x * 28 + 45;
	if (x > 0) r += f0_0(x - 1) % 122;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_26(long x)
{
	long r = x * 29 + 45;
	if (x > 0) r += f0_0(x - 1) % 123;
	return r % 1000000007;
}
long f4_27(long x)
{
	long r = x * 30 + 45;
	if (x > 0) r += f0_0(x - 1) % 124;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_28(long x)
{
	long r = x * 31 + 45;
	if (x > 0) r += f0_0(x - 1) % 125;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_29(long x)
{
	long r = x * 32 + 45;
	if (x > 0) r += f0_0(x - 1) % 126;
	r ^= r >> 2;
	return r % 1000000007;
}
long f4_30(long x)
{
	long r = x * 33 + 45;
	if (x > 0) r += f0_0(x - 1) % 127;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_31(long x)
{
	long r = x * 34 + 45;
	if (x > 0) r += f0_0(x - 1) % 128;
	return r % 1000000007;
}
long f4_32(long x)
{
	long r = x * 35 + 45;
	if (x > 0) r += f0_0(x - 1) % 129;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_33(long x)
{
	long r = x * 36 + 45;
	if (x > 0) r += f0_0(x - 1) % 130;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_34(long x)
{
	long r = x * 37 + 45;
	if (x > 0) r += f0_0(x - 1) % 131;
	r ^= r >> 7;
	return r % 1000000007;
}
long f4_35(long x)
{
	long r = x * 38 + 45;
	if (x > 0) r += f0_0(x - 1) % 132;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_36(long x)
{
	long r = x * 39 + 45;
	if (x > 0) r += f0_0(x - 1) % 133;
	return r % 1000000007;
}
long f4_37(long x)
{
	long r = x * 40 + 45;
	if (x > 0) r += f0_0(x - 1) % 134;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_38(long x)
{
	long r = x * 41 + 45;
	if (x > 0) r += f0_0(x - 1) % 135;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_39(long x)
{
	long r = x * 42 + 45;
	if (x > 0) r += f0_0(x - 1) % 136;
	r ^= r >> 5;
	return r % 1000000007;
}
long f4_40(long x)
{
	long r = x * 43 + 45;
	if (x > 0) r += f0_0(x - 1) % 137;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_41(long x)
{
	long r = x * 44 + 45;
	if (x > 0) r += f0_0(x - 1) % 138;
	return r % 1000000007;
}
long f4_42(long x)
{
	long r = x * 45 + 45;
	if (x > 0) r += f0_0(x - 1) % 139;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_43(long x)
{
	long r = x * 46 + 45;
	if (x > 0) r += f0_0(x - 1) % 140;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_44(long x)
{
	long r = x * 47 + 45;
	if (x > 0) r += f0_0(x - 1) % 141;
	r ^= r >> 3;
	return r % 1000000007;
}
long f4_45(long x)
{
	long r = x * 48 + 45;
	if (x > 0) r += f0_0(x - 1) % 142;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_46(long x)
{
	long r = x * 49 + 45;
	if (x > 0) r += f0_0(x - 1) % 143;
	return r % 1000000007;
}
long f4_47(long x)
{
	long r = x * 50 + 45;
	if (x > 0) r += f0_0(x - 1) % 144;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_48(long x)
{
	long r = x * 51 + 45;
	if (x > 0) r += f0_0(x - 1) % 145;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_49(long x)
{
	long r = x * 52 + 45;
	if (x > 0) r += f0_0(x - 1) % 146;
	r ^= r >> 1;
	return r % 1000000007;
}
long f4_50(long x)
{
	long r = x * 53 + 45;
	if (x > 0) r += f0_0(x - 1) % 147;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_51(long x)
{
	long r = x * 54 + 45;
	if (x > 0) r += f0_0(x - 1) % 148;
	return r % 1000000007;
}
long f4_52(long x)
{
	long r = x * 55 + 45;
	if (x > 0) r += f0_0(x - 1) % 149;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_53(long x)
{
	long r = x * 56 + 45;
	if (x > 0) r += f0_0(x - 1) % 150;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_54(long x)
{
	long r = x * 57 + 45;
	if (x > 0) r += f0_0(x - 1) % 151;
	r ^= r >> 6;
	return r % 1000000007;
}
long f4_55(long x)
{
	long r = x * 58 + 45;
	if (x > 0) r += f0_0(x - 1) % 152;
	r = r % 1000003;
	return r % 1000000007;
}
long f4_56(long x)
{
	long r = x * 59 + 45;
	if (x > 0) r += f0_0(x - 1) % 153;
	return r % 1000000007;
}
long f4_57(long x)
{
	long r = x * 60 + 45;
	if (x > 0) r += f0_0(x - 1) % 154;
	for (int j = 0; j < 3; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f4_58(long x)
{
	long r = x * 61 + 45;
	if (x > 0) r += f0_0(x - 1) % 155;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f4_59(long x)
{
	long r = x * 62 + 45;
	if (x > 0) r += f0_0(x - 1) % 156;
	r ^= r >> 4;
	return r % 1000000007;
}
long (*const table4[])(long) = { f4_0, f4_1, f4_2, f4_3, f4_4, f4_5, f4_6, f4_7, f4_8, f4_9, f4_10, f4_11, f4_12, f4_13, f4_14, f4_15, f4_16, f4_17, f4_18, f4_19, f4_20, f4_21, f4_22, f4_23, f4_24, f4_25, f4_26, f4_27, f4_28, f4_29, f4_30, f4_31, f4_32, f4_33, f4_34, f4_35, f4_36, f4_37, f4_38, f4_39, f4_40, f4_41, f4_42, f4_43, f4_44, f4_45, f4_46, f4_47, f4_48, f4_49, f4_50, f4_51, f4_52, f4_53, f4_54, f4_55, f4_56, f4_57, f4_58, f4_59 };
