using System.Globalization;
using Distill.Trainer.Runtime;
using Distill.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Training;

/// <summary>
/// Every loss against its closed form in plain doubles, its basic properties, and its autograd gradient against
/// central finite differences in float64.
/// </summary>
public sealed class DistillationLossTests
{
    private const double ClosedFormTolerance = 1e-5;

    // batch 2, seq 2, vocab 4; the last position (1, 1) is masked out.
    private static readonly double[,,] StudentLogits =
    {
        { { 1.0, 2.0, 0.5, -1.0 }, { 0.3, -0.2, 1.5, 0.0 } },
        { { -0.5, 0.8, 0.1, 2.2 }, { 3.0, -3.0, 0.0, 1.0 } },
    };

    private static readonly double[,,] TeacherLogits =
    {
        { { 2.0, 1.0, 0.0, -0.5 }, { 0.0, 0.5, 2.0, -1.0 } },
        { { 0.2, 0.4, -1.0, 1.5 }, { -2.0, 1.0, 0.5, 0.0 } },
    };

    private static readonly double[,] Mask = { { 1, 1 }, { 1, 0 } };

    public DistillationLossTests() => TorchRuntime.EnsureLoaded();

    // ---------------------------------------------------------------- closed forms

    [Fact]
    public void Cross_entropy_is_the_mean_negative_log_likelihood_of_the_targets()
    {
        using var scope = NewDisposeScope();
        long[,] targets = { { 1, 2 }, { 3, -100 } };

        var loss = DistillationLosses.CrossEntropy(Tensor32(StudentLogits), tensor(targets), tensor(Mask));

        var expected = MaskedMean((b, s) => -LogSoftmax(Row(StudentLogits, b, s), 1)[targets[b, s]]);
        Assert.Equal(expected, Value(loss), ClosedFormTolerance);
        Assert.Equal(ScalarType.Float32, loss.dtype);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Forward_kl_is_kl_of_teacher_to_student_times_t_squared(double temperature)
    {
        using var scope = NewDisposeScope();

        var loss = DistillationLosses.ForwardKl(Tensor32(StudentLogits), Tensor32(TeacherLogits), tensor(Mask), temperature);

        var expected = temperature * temperature * MaskedMean((b, s) =>
            Kl(Softmax(Row(TeacherLogits, b, s), temperature), Softmax(Row(StudentLogits, b, s), temperature)));
        Assert.Equal(expected, Value(loss), ClosedFormTolerance);
    }

    [Fact]
    public void The_t_squared_factor_is_applied_at_temperature_2()
    {
        using var scope = NewDisposeScope();

        var loss = DistillationLosses.ForwardKl(Tensor32(StudentLogits), Tensor32(TeacherLogits), tensor(Mask), temperature: 2);

        var softenedKl = MaskedMean((b, s) => Kl(Softmax(Row(TeacherLogits, b, s), 2), Softmax(Row(StudentLogits, b, s), 2)));
        Assert.Equal(4 * softenedKl, Value(loss), ClosedFormTolerance);
        Assert.True(softenedKl > 1e-3, "the fixture must make the factor visible");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Reverse_kl_is_kl_of_student_to_teacher_times_t_squared(double temperature)
    {
        using var scope = NewDisposeScope();

        var loss = DistillationLosses.ReverseKl(Tensor32(StudentLogits), Tensor32(TeacherLogits), tensor(Mask), temperature);

        var expected = temperature * temperature * MaskedMean((b, s) =>
            Kl(Softmax(Row(StudentLogits, b, s), temperature), Softmax(Row(TeacherLogits, b, s), temperature)));
        Assert.Equal(expected, Value(loss), ClosedFormTolerance);
    }

    [Theory]
    [InlineData(0.1, 1.0)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.9, 1.0)]
    [InlineData(0.5, 2.0)]
    public void Generalized_jsd_matches_the_mixture_formula(double beta, double temperature)
    {
        using var scope = NewDisposeScope();

        var loss = DistillationLosses.GeneralizedJsd(Tensor32(StudentLogits), Tensor32(TeacherLogits), tensor(Mask), beta, temperature);

        var expected = temperature * temperature * MaskedMean((b, s) =>
        {
            var teacher = Softmax(Row(TeacherLogits, b, s), temperature);
            var student = Softmax(Row(StudentLogits, b, s), temperature);
            // The mixture formed in probability space, independently of the log-space implementation.
            var mixture = teacher.Select((p, v) => beta * p + (1 - beta) * student[v]).ToArray();
            return beta * Kl(teacher, mixture) + (1 - beta) * Kl(student, mixture);
        });
        Assert.Equal(expected, Value(loss), ClosedFormTolerance);
    }

    [Fact]
    public void Generalized_jsd_at_beta_0_is_forward_kl_and_at_beta_1_reverse_kl()
    {
        using var scope = NewDisposeScope();
        var student = Tensor32(StudentLogits);
        var teacher = Tensor32(TeacherLogits);
        var mask = tensor(Mask);

        var atZero = Value(DistillationLosses.GeneralizedJsd(student, teacher, mask, beta: 0, temperature: 2));
        var atOne = Value(DistillationLosses.GeneralizedJsd(student, teacher, mask, beta: 1, temperature: 2));

        Assert.Equal(Value(DistillationLosses.ForwardKl(student, teacher, mask, 2)), atZero);
        Assert.Equal(Value(DistillationLosses.ReverseKl(student, teacher, mask, 2)), atOne);
        var forward = 4 * MaskedMean((b, s) => Kl(Softmax(Row(TeacherLogits, b, s), 2), Softmax(Row(StudentLogits, b, s), 2)));
        var reverse = 4 * MaskedMean((b, s) => Kl(Softmax(Row(StudentLogits, b, s), 2), Softmax(Row(TeacherLogits, b, s), 2)));
        Assert.Equal(forward, atZero, ClosedFormTolerance);
        Assert.Equal(reverse, atOne, ClosedFormTolerance);
    }

    [Fact]
    public void The_beta_limits_are_the_limits_of_the_normalised_jsd()
    {
        using var scope = NewDisposeScope();
        var student = Tensor64(StudentLogits);
        var teacher = Tensor64(TeacherLogits);
        var mask = tensor(Mask);
        const double small = 1e-6;

        var nearZero = Value(DistillationLosses.GeneralizedJsd(student, teacher, mask, small)) / small;
        var nearOne = Value(DistillationLosses.GeneralizedJsd(student, teacher, mask, 1 - small)) / small;

        var forward = Value(DistillationLosses.GeneralizedJsd(student, teacher, mask, 0));
        var reverse = Value(DistillationLosses.GeneralizedJsd(student, teacher, mask, 1));
        Assert.Equal(forward, nearZero, forward * 1e-4);
        Assert.Equal(reverse, nearOne, reverse * 1e-4);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Sparse_top_k_kl_uses_k_buckets_and_the_tail(double temperature)
    {
        using var scope = NewDisposeScope();
        var studentLogits = new double[,,]
        {
            { { 1.0, 0.0, -1.0, 2.0, 0.5 }, { 0.2, 1.2, 2.5, -0.3, 0.0 } },
            { { 0.0, -0.5, 0.3, 1.0, 2.0 }, { 1.0, 1.0, 1.0, 1.0, 1.0 } },
        };
        long[,,] topIds = { { { 0, 3 }, { 2, 1 } }, { { 4, 0 }, { 1, 2 } } };
        // Teacher top-2 probabilities; the tails are 0.2, 0.3, 0.1 (and 0.2 at the masked position).
        double[,,] topProbs = { { { 0.5, 0.3 }, { 0.6, 0.1 } }, { { 0.7, 0.2 }, { 0.4, 0.4 } } };

        var loss = DistillationLosses.SparseTopKKl(
            Tensor32(studentLogits), tensor(topIds), Tensor32(Map(topProbs, Math.Log)), tensor(Mask), temperature);

        var expected = MaskedMean((b, s) =>
        {
            var student = Softmax(Row(studentLogits, b, s), temperature);
            double[] teacherBuckets = [topProbs[b, s, 0], topProbs[b, s, 1], 1 - topProbs[b, s, 0] - topProbs[b, s, 1]];
            var studentTop0 = student[topIds[b, s, 0]];
            var studentTop1 = student[topIds[b, s, 1]];
            double[] studentBuckets = [studentTop0, studentTop1, 1 - studentTop0 - studentTop1];
            return Kl(teacherBuckets, studentBuckets);
        });
        Assert.Equal(expected, Value(loss), ClosedFormTolerance);
    }

    [Fact]
    public void Sparse_top_k_renormalises_a_top_k_mass_above_one_and_drops_the_tail()
    {
        using var scope = NewDisposeScope();
        var studentLogits = new double[,,] { { { 1.0, 0.0, -1.0, 2.0 } } };
        long[,,] topIds = { { { 3, 0 } } };
        // Rounded API numbers summing to 1.05: the tail clamps to 0 and the two buckets renormalise.
        double[,,] topProbs = { { { 0.6, 0.45 } } };

        var loss = DistillationLosses.SparseTopKKl(
            Tensor32(studentLogits), tensor(topIds), Tensor32(Map(topProbs, Math.Log)), ones(1, 1));

        var student = Softmax(Row(studentLogits, 0, 0), 1);
        double[] teacherBuckets = [0.6 / 1.05, 0.45 / 1.05, 0];
        double[] studentBuckets = [student[3], student[0], 1 - student[3] - student[0]];
        Assert.Equal(Kl(teacherBuckets, studentBuckets), Value(loss), ClosedFormTolerance);
    }

    [Fact]
    public void Sparse_top_k_covering_the_whole_vocabulary_is_the_full_kl_with_finite_gradients()
    {
        using var scope = NewDisposeScope();
        long[,,] allIds = { { { 2, 0, 3, 1 }, { 1, 2, 0, 3 } }, { { 3, 1, 0, 2 }, { 0, 1, 2, 3 } } };
        var teacherLogProbs = new double[2, 2, 4];
        for (var b = 0; b < 2; b++)
        {
            for (var s = 0; s < 2; s++)
            {
                var logProbs = LogSoftmax(Row(TeacherLogits, b, s), 1);
                for (var j = 0; j < 4; j++)
                {
                    teacherLogProbs[b, s, j] = logProbs[allIds[b, s, j]];
                }
            }
        }

        // No tail on either side: log 0 must not turn into NaN in the value or the gradient.
        var student = Tensor32(StudentLogits).requires_grad_();
        var loss = DistillationLosses.SparseTopKKl(student, tensor(allIds), Tensor32(teacherLogProbs), tensor(Mask));
        loss.backward();

        var fullKl = MaskedMean((b, s) => Kl(Softmax(Row(TeacherLogits, b, s), 1), Softmax(Row(StudentLogits, b, s), 1)));
        Assert.Equal(fullKl, Value(loss), ClosedFormTolerance);
        Assert.All(student.grad!.to(ScalarType.Float64).data<double>().ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void Sparse_top_k_ignores_an_unused_slot_with_log_prob_minus_infinity()
    {
        using var scope = NewDisposeScope();
        var studentLogits = new double[,,] { { { 1.0, 0.0, -1.0, 2.0, 0.5 } } };
        long[,,] topIds = { { { 1, 4, 2 } } };
        double[,,] topLogprobs = { { { Math.Log(0.7), Math.Log(0.1), double.NegativeInfinity } } };

        var student = Tensor32(studentLogits).requires_grad_();
        var loss = DistillationLosses.SparseTopKKl(student, tensor(topIds), Tensor32(topLogprobs), ones(1, 1));
        loss.backward();

        var q = Softmax(Row(studentLogits, 0, 0), 1);
        double[] teacherBuckets = [0.7, 0.1, 0, 0.2];
        double[] studentBuckets = [q[1], q[4], q[2], 1 - q[1] - q[4] - q[2]];
        Assert.Equal(Kl(teacherBuckets, studentBuckets), Value(loss), ClosedFormTolerance);
        Assert.All(student.grad!.to(ScalarType.Float64).data<double>().ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void Mix_is_alpha_kd_plus_one_minus_alpha_ce()
    {
        using var scope = NewDisposeScope();

        var mixed = DistillationLosses.Mix(tensor(2.0f), tensor(10.0f), alpha: 0.25);

        Assert.Equal(0.25 * 10 + 0.75 * 2, Value(mixed), ClosedFormTolerance);
        Assert.Equal(2.0, Value(DistillationLosses.Mix(tensor(2.0f), tensor(10.0f), 0)), ClosedFormTolerance);
        Assert.Equal(10.0, Value(DistillationLosses.Mix(tensor(2.0f), tensor(10.0f), 1)), ClosedFormTolerance);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Mix_rejects_alpha_outside_0_to_1(double alpha)
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLosses.Mix(tensor(1.0f), tensor(1.0f), alpha));
    }

    [Fact]
    public void Arguments_are_validated()
    {
        using var scope = NewDisposeScope();
        var student = Tensor32(StudentLogits);
        var mask = tensor(Mask);
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLosses.ForwardKl(student, student, mask, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DistillationLosses.GeneralizedJsd(student, student, mask, 1.5));
        Assert.Throws<ArgumentException>(() => DistillationLosses.ForwardKl(student, zeros(2, 2, 5), mask));
        Assert.Throws<ArgumentException>(() => DistillationLosses.CrossEntropy(student, zeros(2, 2), mask));
        Assert.Throws<ArgumentException>(() => DistillationLosses.ReverseKl(student, student, ones(2, 3)));
    }

    [Fact]
    public void Hidden_state_mse_projects_the_student_and_compares_with_the_teacher()
    {
        using var scope = NewDisposeScope();
        // Student hidden 2, teacher hidden 3; two student states, two teacher states, pairs (0 -> 1) and (1 -> 0).
        double[,] weight = { { 1.0, 0.5 }, { -0.5, 2.0 }, { 0.0, 1.0 } };
        double[][,,] studentStates =
        [
            new double[,,] { { { 1.0, 2.0 }, { 0.5, -1.0 } }, { { 0.0, 1.0 }, { 9.0, 9.0 } } },
            new double[,,] { { { -1.0, 0.5 }, { 2.0, 0.0 } }, { { 1.5, 1.5 }, { 9.0, 9.0 } } },
        ];
        double[][,,] teacherStates =
        [
            new double[,,] { { { 0.0, 1.0, 2.0 }, { 1.0, 1.0, 1.0 } }, { { -1.0, 0.0, 0.5 }, { 0.0, 0.0, 0.0 } } },
            new double[,,] { { { 2.0, 3.0, 1.0 }, { 0.0, -2.0, 0.5 } }, { { 0.5, 0.5, 0.5 }, { 0.0, 0.0, 0.0 } } },
        ];
        (int, int)[] pairs = [(0, 1), (1, 0)];
        using var distillation = new HiddenStateDistillation(2, 3, pairs);
        using (no_grad())
        {
            distillation.ProjectionWeight.copy_(tensor(weight, dtype: ScalarType.Float32));
        }

        var loss = distillation.forward(
            [.. studentStates.Select(Tensor32)], [.. teacherStates.Select(Tensor32)], tensor(Mask));

        var expected = pairs.Average(pair => MaskedMean((b, s) =>
        {
            var squaredError = 0.0;
            for (var t = 0; t < 3; t++)
            {
                var projected = weight[t, 0] * studentStates[pair.Item1][b, s, 0] + weight[t, 1] * studentStates[pair.Item1][b, s, 1];
                var error = projected - teacherStates[pair.Item2][b, s, t];
                squaredError += error * error;
            }

            return squaredError / 3;
        }));
        Assert.Equal(expected, Value(loss), ClosedFormTolerance);
    }

    [Fact]
    public void Hidden_state_projection_learns_with_a_few_sgd_steps()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var trueMap = randn(6, 4);
        Tensor[] studentStates = [randn(2, 3, 4), randn(2, 3, 4)];
        Tensor[] teacherStates = [randn(2, 3, 6), studentStates[0].matmul(trueMap.t()), studentStates[1].matmul(trueMap.t())];
        var mask = tensor(new float[,] { { 1, 1, 1 }, { 1, 1, 0 } });
        using var distillation = new HiddenStateDistillation(4, 6, [(0, 1), (1, 2)]);
        using var optimizer = optim.SGD(distillation.parameters(), learningRate: 0.2);

        var losses = new List<double>();
        for (var step = 0; step < 30; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = distillation.forward(studentStates, teacherStates, mask);
            loss.backward();
            optimizer.step();
            losses.Add(Value(loss));
        }

        Assert.True(losses[^1] < 0.2 * losses[0], $"MSE went from {losses[0]} to {losses[^1]}");
        Assert.True(
            losses.Zip(losses.Skip(1)).All(step => step.Second < step.First), "SGD on a convex quadratic should decrease every step");
    }

    // ---------------------------------------------------------------- properties

    public static TheoryData<string> AllLosses =>
    [
        "CrossEntropy", "ForwardKl", "ForwardKl@T2", "ReverseKl", "ReverseKl@T2",
        "Jsd0", "Jsd0.1", "Jsd0.5", "Jsd0.9", "Jsd1", "Jsd0.5@T2", "SparseTopK", "SparseTopK@T2", "HiddenMse",
    ];

    public static TheoryData<string> DivergenceLosses =>
        ["ForwardKl", "ForwardKl@T2", "ReverseKl", "ReverseKl@T2", "Jsd0", "Jsd0.1", "Jsd0.5", "Jsd0.9", "Jsd1", "Jsd0.5@T2"];

    [Theory]
    [MemberData(nameof(DivergenceLosses))]
    public void A_divergence_of_a_distribution_from_itself_is_zero(string loss)
    {
        using var scope = NewDisposeScope();
        var student = Tensor32(StudentLogits);

        var value = Value(Dense(loss, student, student, tensor(Mask)));

        Assert.Equal(0.0, value, 1e-6);
    }

    [Fact]
    public void Sparse_top_k_kl_of_the_student_against_its_own_top_k_is_zero()
    {
        using var scope = NewDisposeScope();
        using var problem = Problem.Random(seed: 3);
        var student = Tensor64(problem.Teacher);

        var value = Value(DistillationLosses.SparseTopKKl(student, tensor(problem.TopIds), Tensor64(problem.TopLogprobs), tensor(Mask)));

        Assert.Equal(0.0, value, 1e-12);
    }

    [Fact]
    public void Generalized_jsd_at_beta_one_half_is_symmetric()
    {
        using var scope = NewDisposeScope();
        var student = Tensor32(StudentLogits);
        var teacher = Tensor32(TeacherLogits);
        var mask = tensor(Mask);

        var studentFirst = Value(DistillationLosses.GeneralizedJsd(student, teacher, mask, 0.5));
        var teacherFirst = Value(DistillationLosses.GeneralizedJsd(teacher, student, mask, 0.5));

        Assert.Equal(studentFirst, teacherFirst, 1e-6);
        Assert.True(studentFirst > 1e-3);
    }

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void Every_loss_is_non_negative(string loss)
    {
        for (var seed = 0; seed < 20; seed++)
        {
            using var scope = NewDisposeScope();
            using var problem = Problem.Random(seed);
            var value = Value(problem.Loss(loss, Tensor32(problem.Student), tensor(Mask)));
            Assert.True(value >= 0, $"{loss} = {value} with seed {seed}");
        }
    }

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void A_fully_masked_batch_gives_zero_and_a_zero_gradient(string loss)
    {
        using var scope = NewDisposeScope();
        using var problem = Problem.Random(seed: 1);
        var student = Tensor32(problem.Student).requires_grad_();

        var value = problem.Loss(loss, student, zeros(2, 2));
        value.backward();

        Assert.Equal(0.0, Value(value));
        Assert.All(student.grad!.to(ScalarType.Float64).data<double>().ToArray(), g => Assert.Equal(0.0, g));
    }

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void Masked_positions_affect_neither_the_value_nor_the_gradient(string loss)
    {
        using var scope = NewDisposeScope();
        using var problem = Problem.Random(seed: 2);
        var wild = (double[,,])problem.Student.Clone();
        for (var v = 0; v < wild.GetLength(2); v++)
        {
            wild[1, 1, v] = v % 2 == 0 ? 80.0 : -60.0; // the masked position
        }

        var original = Tensor32(problem.Student).requires_grad_();
        var changed = Tensor32(wild).requires_grad_();
        var originalLoss = problem.Loss(loss, original, tensor(Mask));
        var changedLoss = problem.Loss(loss, changed, tensor(Mask));
        originalLoss.backward();
        changedLoss.backward();

        Assert.Equal(Value(originalLoss), Value(changedLoss));
        var originalGrad = original.grad!.to(ScalarType.Float64).data<double>().ToArray();
        var changedGrad = changed.grad!.to(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(originalGrad, changedGrad);
        var width = wild.GetLength(2);
        var maskedSlice = originalGrad[(3 * width)..];
        Assert.All(maskedSlice, g => Assert.Equal(0.0, g));
        Assert.Contains(originalGrad[..(3 * width)], g => g != 0);
    }

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void Float64_stays_float64_and_bf16_is_computed_in_float32(string loss)
    {
        using var scope = NewDisposeScope();
        using var problem = Problem.Random(seed: 4);

        var inDouble = problem.Loss(loss, Tensor64(problem.Student), tensor(Mask));
        var inBf16 = problem.Loss(loss, Tensor32(problem.Student).to(ScalarType.BFloat16), tensor(Mask));

        Assert.Equal(ScalarType.Float64, inDouble.dtype);
        Assert.Equal(ScalarType.Float32, inBf16.dtype);
        // bf16 keeps 8 mantissa bits of the logits; the loss itself is then exact float32 arithmetic.
        Assert.Equal(Value(inDouble), Value(inBf16), 0.05 * Value(inDouble) + 1e-3);
    }

    // ---------------------------------------------------------------- gradients

    [Theory]
    [MemberData(nameof(AllLosses))]
    public void Autograd_matches_central_finite_differences_in_float64(string loss)
    {
        using var scope = NewDisposeScope();
        using var problem = Problem.Random(seed: 5);
        var mask = tensor(Mask);

        var student = Tensor64(problem.Student).requires_grad_();
        problem.Loss(loss, student, mask).backward();
        var autograd = student.grad!.data<double>().ToArray();

        var flat = problem.Student.Cast<double>().ToArray();
        var numeric = new double[flat.Length];
        const double step = 1e-6;
        for (var i = 0; i < flat.Length; i++)
        {
            using var stepScope = NewDisposeScope();
            using var noGrad = no_grad();
            var plus = (double[])flat.Clone();
            var minus = (double[])flat.Clone();
            plus[i] += step;
            minus[i] -= step;
            var shape = ShapeOf(problem.Student);
            var lossPlus = Value(problem.Loss(loss, tensor(plus, shape, ScalarType.Float64), mask));
            var lossMinus = Value(problem.Loss(loss, tensor(minus, shape, ScalarType.Float64), mask));
            numeric[i] = (lossPlus - lossMinus) / (2 * step);
        }

        var difference = Norm(autograd.Zip(numeric, (a, n) => a - n).ToArray());
        var scale = Math.Max(Norm(autograd), Norm(numeric));
        Assert.True(scale > 1e-3, $"{loss}: the gradient is too small ({scale}) for the check to mean anything");
        Assert.True(difference / scale < 1e-4, $"{loss}: relative error {difference / scale}");
    }

    [Fact]
    public void Hidden_state_projection_gradient_matches_finite_differences()
    {
        using var scope = NewDisposeScope();
        using var problem = Problem.Random(seed: 6);
        var distillation = problem.HiddenStateModule();
        var weightShape = distillation.ProjectionWeight.shape;
        var weights = distillation.ProjectionWeight.data<double>().ToArray();
        var mask = tensor(Mask);

        problem.Loss("HiddenMse", Tensor64(problem.Student), mask).backward();
        var autograd = problem.HiddenModuleGradient();

        var numeric = new double[weights.Length];
        const double step = 1e-6;
        for (var i = 0; i < weights.Length; i++)
        {
            using var stepScope = NewDisposeScope();
            using var noGrad = no_grad();
            var values = new double[2];
            for (var side = 0; side < 2; side++)
            {
                var shifted = (double[])weights.Clone();
                shifted[i] += side == 0 ? step : -step;
                problem.SetHiddenWeights(tensor(shifted, weightShape, ScalarType.Float64));
                values[side] = Value(problem.Loss("HiddenMse", Tensor64(problem.Student), mask));
            }

            numeric[i] = (values[0] - values[1]) / (2 * step);
        }

        var difference = Norm(autograd.Zip(numeric, (a, n) => a - n).ToArray());
        var scale = Math.Max(Norm(autograd), Norm(numeric));
        Assert.True(scale > 1e-3);
        Assert.True(difference / scale < 1e-4, $"relative error {difference / scale}");
    }

    // ---------------------------------------------------------------- fixture and closed-form helpers

    /// <summary>A random problem (batch 2, seq 2, vocab 5) with every input each loss needs, in plain doubles.</summary>
    private sealed class Problem : IDisposable
    {
        private const int Vocab = 5;
        private const int TopK = 2;
        private const int HiddenTeacher = 3;

        private HiddenStateDistillation? hiddenModule;

        public required double[,,] Student { get; init; }

        public required double[,,] Teacher { get; init; }

        public required long[,] Targets { get; init; }

        public required long[,,] TopIds { get; init; }

        public required double[,,] TopLogprobs { get; init; }

        public required double[,,] TeacherHidden { get; init; }

        public required double[,] HiddenWeights { get; init; }

        public static Problem Random(int seed)
        {
            var random = new Random(seed);
            double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var student = new double[2, 2, Vocab];
            var teacher = new double[2, 2, Vocab];
            var targets = new long[2, 2];
            var topIds = new long[2, 2, TopK];
            var topLogprobs = new double[2, 2, TopK];
            var teacherHidden = new double[2, 2, HiddenTeacher];
            for (var b = 0; b < 2; b++)
            {
                for (var s = 0; s < 2; s++)
                {
                    for (var v = 0; v < Vocab; v++)
                    {
                        student[b, s, v] = 1.5 * Normal();
                        teacher[b, s, v] = 1.5 * Normal();
                    }

                    for (var h = 0; h < HiddenTeacher; h++)
                    {
                        teacherHidden[b, s, h] = Normal();
                    }

                    targets[b, s] = random.Next(Vocab);
                    // The teacher's top-k as an API reports them: most likely ids first, with their log-probs.
                    var logProbs = LogSoftmax(Row(teacher, b, s), 1);
                    var ranked = Enumerable.Range(0, Vocab).OrderByDescending(v => logProbs[v]).Take(TopK).ToArray();
                    for (var j = 0; j < TopK; j++)
                    {
                        topIds[b, s, j] = ranked[j];
                        topLogprobs[b, s, j] = logProbs[ranked[j]];
                    }
                }
            }

            targets[1, 1] = -100; // ignore index at the masked position, as Hugging Face collators write it

            var hiddenWeights = new double[HiddenTeacher, Vocab];
            for (var t = 0; t < HiddenTeacher; t++)
            {
                for (var v = 0; v < Vocab; v++)
                {
                    hiddenWeights[t, v] = 0.5 * Normal();
                }
            }

            return new Problem
            {
                Student = student, Teacher = teacher, Targets = targets, TopIds = topIds, TopLogprobs = topLogprobs,
                TeacherHidden = teacherHidden, HiddenWeights = hiddenWeights,
            };
        }

        /// <summary>The loss named <paramref name="name"/> of <paramref name="student"/>; teacher inputs follow its dtype.</summary>
        public Tensor Loss(string name, Tensor student, Tensor mask)
        {
            var teacherType = student.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
            var (kind, temperature) = ParseName(name);
            return kind switch
            {
                "CrossEntropy" => DistillationLosses.CrossEntropy(student, tensor(Targets), mask),
                "SparseTopK" => DistillationLosses.SparseTopKKl(student, tensor(TopIds), tensor(TopLogprobs, dtype: teacherType), mask, temperature),
                // The logits stand in for a student hidden state of width 5, mapped to a teacher width of 3.
                "HiddenMse" => HiddenStateModule(student.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32)
                    .forward([student], [tensor(TeacherHidden, dtype: teacherType)], mask),
                _ => Dense(name, student, tensor(Teacher, dtype: teacherType), mask),
            };
        }

        public HiddenStateDistillation HiddenStateModule(ScalarType dtype = ScalarType.Float64)
        {
            if (hiddenModule is null || hiddenModule.ProjectionWeight.dtype != dtype)
            {
                hiddenModule?.Dispose();
                hiddenModule = new HiddenStateDistillation(Vocab, HiddenTeacher, [(0, 0)]);
                hiddenModule.to(dtype);
                using var noGrad = no_grad();
                using var weights = tensor(HiddenWeights, dtype: dtype);
                hiddenModule.ProjectionWeight.copy_(weights);
            }

            return hiddenModule;
        }

        public void Dispose() => hiddenModule?.Dispose();

        public void SetHiddenWeights(Tensor weights)
        {
            using var noGrad = no_grad();
            HiddenStateModule().ProjectionWeight.copy_(weights);
        }

        public double[] HiddenModuleGradient() => HiddenStateModule().ProjectionWeight.grad!.data<double>().ToArray();
    }

    /// <summary>The dense teacher-vs-student losses by name; "@T2" selects temperature 2.</summary>
    private static Tensor Dense(string name, Tensor student, Tensor teacher, Tensor mask)
    {
        var (kind, temperature) = ParseName(name);
        return kind switch
        {
            "ForwardKl" => DistillationLosses.ForwardKl(student, teacher, mask, temperature),
            "ReverseKl" => DistillationLosses.ReverseKl(student, teacher, mask, temperature),
            _ when kind.StartsWith("Jsd", StringComparison.Ordinal) => DistillationLosses.GeneralizedJsd(
                student, teacher, mask, double.Parse(kind[3..], CultureInfo.InvariantCulture), temperature),
            _ => throw new ArgumentException($"No loss named {name}."),
        };
    }

    /// <summary>"ForwardKl@T2" is ("ForwardKl", 2); a name without "@T" means temperature 1.</summary>
    private static (string Kind, double Temperature) ParseName(string name) =>
        name.Split("@T") is [var kind, var temperature] ? (kind, double.Parse(temperature, CultureInfo.InvariantCulture)) : (name, 1.0);

    private static Tensor Tensor32(double[,,] values) => tensor(values, dtype: ScalarType.Float32);

    private static Tensor Tensor64(double[,,] values) => tensor(values, dtype: ScalarType.Float64);

    private static double Value(Tensor scalar)
    {
        using var asDouble = scalar.detach().to(ScalarType.Float64);
        return asDouble.item<double>();
    }

    private static long[] ShapeOf(double[,,] values) => [values.GetLength(0), values.GetLength(1), values.GetLength(2)];

    private static double[] Row(double[,,] logits, int b, int s) =>
        Enumerable.Range(0, logits.GetLength(2)).Select(v => logits[b, s, v]).ToArray();

    private static double[,,] Map(double[,,] values, Func<double, double> f)
    {
        var mapped = (double[,,])values.Clone();
        for (var i = 0; i < values.GetLength(0); i++)
        {
            for (var j = 0; j < values.GetLength(1); j++)
            {
                for (var k = 0; k < values.GetLength(2); k++)
                {
                    mapped[i, j, k] = f(values[i, j, k]);
                }
            }
        }

        return mapped;
    }

    private static double[] LogSoftmax(double[] logits, double temperature)
    {
        var scaled = logits.Select(z => z / temperature).ToArray();
        var max = scaled.Max();
        var logNormaliser = max + Math.Log(scaled.Sum(z => Math.Exp(z - max)));
        return scaled.Select(z => z - logNormaliser).ToArray();
    }

    private static double[] Softmax(double[] logits, double temperature) => LogSoftmax(logits, temperature).Select(Math.Exp).ToArray();

    /// <summary>KL(p || q) = Σ p log(p / q), with 0 log 0 = 0.</summary>
    private static double Kl(double[] p, double[] q) => p.Zip(q, (pi, qi) => pi > 0 ? pi * Math.Log(pi / qi) : 0).Sum();

    /// <summary>The mean of a per-token value over the fixture mask's counted positions.</summary>
    private static double MaskedMean(Func<int, int, double> perToken)
    {
        double sum = 0;
        var count = 0;
        for (var b = 0; b < 2; b++)
        {
            for (var s = 0; s < 2; s++)
            {
                if (Mask[b, s] != 0)
                {
                    sum += perToken(b, s);
                    count++;
                }
            }
        }

        return sum / count;
    }

    private static double Norm(double[] values) => Math.Sqrt(values.Sum(v => v * v));
}
